package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CacheControlTest {

  private static final long TWO_POW_31 = 2_147_483_648L;

  @Test
  void parse_noField_none() {
    assertThat(CacheControl.parse(List.of())).isEqualTo(CacheControl.NONE);
  }

  @Test
  void parse_everyDirective_recognized() {
    CacheControl cc = CacheControl.parse(
        List.of("no-store, no-cache, private, public, must-revalidate, max-age=10, s-maxage=20"));

    assertThat(cc).isEqualTo(new CacheControl(true, true, true, true, true, 10, 20, -1, -1, false));
  }

  @Test
  void parse_severalFields_directivesCombined() {
    CacheControl cc = CacheControl.parse(List.of("public, max-age=60", "must-revalidate", "s-maxage=30"));

    assertThat(cc).isEqualTo(new CacheControl(false, false, false, true, true, 60, 30, -1, -1, false));
  }

  @Test
  void parse_proxyRevalidate_mustRevalidate() {
    assertThat(CacheControl.parse(List.of("proxy-revalidate")).mustRevalidate()).isTrue();
  }

  @Test
  void parse_quotedStringWithCommas_notSplit() {
    CacheControl cc = CacheControl.parse(List.of("private=\"Set-Cookie, max-age=99, no-store\", s-maxage=7"));

    assertThat(cc).isEqualTo(new CacheControl(false, false, true, false, false, -1, 7, -1, -1, false));
  }

  @Test
  void parse_noCacheWithFieldNames_noCache() {
    CacheControl cc = CacheControl.parse(List.of("no-cache=\"Set-Cookie, X-Token\", max-age=5"));

    assertThat(cc.noCache()).isTrue();
    assertThat(cc.maxAge()).isEqualTo(5);
  }

  @Test
  void parse_mixedCase_recognized() {
    CacheControl cc = CacheControl.parse(
        List.of("No-Store, NO-CACHE, Private, PUBLIC, Must-Revalidate, MAX-AGE=3, S-MaxAge=4"));

    assertThat(cc).isEqualTo(new CacheControl(true, true, true, true, true, 3, 4, -1, -1, false));
  }

  @Test
  void parse_blankPartsAndWhitespace_ignored() {
    CacheControl cc = CacheControl.parse(List.of(" , max-age=5 ,,  public ", ""));

    assertThat(cc).isEqualTo(new CacheControl(false, false, false, true, false, 5, -1, -1, -1, false));
  }

  @Test
  void parse_unknownDirectives_ignored() {
    CacheControl cc = CacheControl.parse(List.of("immutable, stale-while-sleeping=30, community=\"UCI\", max-stale"));

    assertThat(cc).isEqualTo(CacheControl.NONE);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "max-age=10, max-age=20      | 10 | -1",
      "s-maxage=1, s-maxage=2      | -1 | 1",
      "max-age=0, max-age=60       | 0  | -1",
  })
  void parse_duplicateInOneField_firstWins(String value, long maxAge, long sMaxAge) {
    CacheControl cc = CacheControl.parse(List.of(value));

    assertThat(cc.maxAge()).isEqualTo(maxAge);
    assertThat(cc.sMaxAge()).isEqualTo(sMaxAge);
  }

  @Test
  void parse_duplicateAcrossFields_firstWins() {
    CacheControl cc = CacheControl.parse(List.of("max-age=10, s-maxage=11", "max-age=20, s-maxage=21"));

    assertThat(cc.maxAge()).isEqualTo(10);
    assertThat(cc.sMaxAge()).isEqualTo(11);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"max-age", "max-age=", "max-age=-1", "max-age=+5", "max-age=1.5", "max-age=abc",
      "max-age=5s", "max-age=0x10", "max-age=\"\"", "max-age=\"5", "max-age=1 2"})
  void parse_malformedDeltaSeconds_ignored(String value) {
    assertThat(CacheControl.parse(List.of(value)).maxAge()).isEqualTo(-1);
    assertThat(CacheControl.parse(List.of("s-" + value.replace("max-age", "maxage"))).sMaxAge()).isEqualTo(-1);
  }

  @Test
  void parse_malformedThenValid_firstCountsAndIsInvalid() {
    // RFC 9111 4.2.1: of several max-age the first is used; an invalid first makes the response stale.
    CacheControl cc = CacheControl.parse(List.of("max-age=soon, max-age=30"));

    assertThat(cc.maxAge()).isEqualTo(-1);
    assertThat(cc.invalidLifetime()).isTrue();
  }

  @Test
  void parse_quotedDeltaSeconds_accepted() {
    assertThat(CacheControl.parse(List.of("max-age=\"30\"")).maxAge()).isEqualTo(30);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      "0, 0",
      "2147483647, 2147483647",
      "2147483648, 2147483648",
      "2147483649, 2147483648",
      "9999999999, 2147483648",
      "99999999999, 2147483648",
      "123456789012345678901234567890, 2147483648",
  })
  void parse_largeDeltaSeconds_clampedTo2Pow31(String digits, long expected) {
    assertThat(CacheControl.parse(List.of("max-age=" + digits)).maxAge()).isEqualTo(expected);
    assertThat(CacheControl.parse(List.of("s-maxage=" + digits)).sMaxAge()).isEqualTo(expected);
    assertThat(expected).isLessThanOrEqualTo(TWO_POW_31);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      "00000000000, 0",
      "000000000060, 60",
      "0000000000000000000002147483647, 2147483647",
      "0000000000000000000002147483649, 2147483648",
  })
  void parse_leadingZeros_valueNotLength(String digits, long expected) {
    assertThat(CacheControl.parse(List.of("max-age=" + digits)).maxAge()).isEqualTo(expected);
  }

  @Test
  void parse_rfc5861Directives_read() {
    CacheControl cc = CacheControl.parse(List.of("max-age=60, stale-while-revalidate=30, stale-if-error=86400"));

    assertThat(cc.staleWhileRevalidate()).isEqualTo(30);
    assertThat(cc.staleIfError()).isEqualTo(86_400);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "MAX-AGE=100              | 100",
      "Max-Age=\"100\"          | 100",
      "max-age=\"1\\00\"        | 100",
      "No-Store, max-age=100    | 100",
  })
  void parse_caseInsensitiveNamesAndQuotedValues(String value, long maxAge) {
    assertThat(CacheControl.parse(List.of(value)).maxAge()).isEqualTo(maxAge);
  }

  @Test
  void parse_upperCaseNoStore_noStore() {
    assertThat(CacheControl.parse(List.of("No-Store")).noStore()).isTrue();
    assertThat(CacheControl.parse(List.of("NO-CACHE")).noCache()).isTrue();
  }

  @Test
  void parse_escapedQuoteInQuotedString_doesNotEndIt() {
    CacheControl cc = CacheControl.parse(List.of("community=\"a\\\", no-store, b\", max-age=5"));

    assertThat(cc.noStore()).isFalse();
    assertThat(cc.maxAge()).isEqualTo(5);
  }

  @Test
  void parse_severalFieldLines_oneList() {
    CacheControl cc = CacheControl.parse(List.of("public", "MAX-AGE=60", "no-cache=\"a, b\""));

    assertThat(cc.isPublic()).isTrue();
    assertThat(cc.maxAge()).isEqualTo(60);
    assertThat(cc.noCache()).isTrue();
  }

  @Test
  void parse_invalidSMaxAge_invalidLifetimeDespiteMaxAge() {
    // s-maxage overrides max-age for a shared cache (RFC 9111 5.2.2.10): an invalid one leaves no
    // valid freshness for it (4.2.1).
    CacheControl cc = CacheControl.parse(List.of("max-age=100, s-maxage=soon"));

    assertThat(cc.maxAge()).isEqualTo(100);
    assertThat(cc.sMaxAge()).isEqualTo(-1);
    assertThat(cc.invalidLifetime()).isTrue();
  }

  @Test
  void parse_invalidMaxAgeOnly_invalidLifetime() {
    assertThat(CacheControl.parse(List.of("max-age=soon")).invalidLifetime()).isTrue();
    assertThat(CacheControl.parse(List.of("max-age=soon, s-maxage=5")).invalidLifetime()).isFalse();
  }
}
