package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CachePolicyTest {

  /** RFC 9110 5.6.7's example date, in its three accepted formats. */
  private static final long NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();
  private static final long T = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();

  // whyNotStorable

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(ints = {100, 206, 304})
  void whyNotStorable_interimPartialOrNotModified_status(int status) {
    assertThat(CachePolicy.whyNotStorable(headers(), status, headers("Cache-Control", "public, max-age=60")))
        .contains(NoStoreReason.STATUS);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(ints = {201, 302, 307, 500, 503})
  void whyNotStorable_notHeuristicallyCacheableWithoutExplicitFreshness_status(int status) {
    assertThat(CachePolicy.whyNotStorable(headers(), status, headers("Last-Modified", http(T))))
        .contains(NoStoreReason.STATUS);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(ints = {201, 302, 307, 500, 503})
  void whyNotStorable_notHeuristicallyCacheableWithMaxAge_storable(int status) {
    assertThat(CachePolicy.whyNotStorable(headers(), status, headers("Cache-Control", "max-age=60"))).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(ints = {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501})
  void whyNotStorable_heuristicallyCacheableWithoutFreshness_storable(int status) {
    assertThat(CachePolicy.whyNotStorable(headers(), status, headers())).isEmpty();
  }

  @ParameterizedTest(name = "request={0} response={1}")
  @CsvSource(delimiter = '|', value = {
      "no-store | max-age=60",
      "         | no-store, max-age=60",
      "         | public, max-age=60, No-Store",
  })
  void whyNotStorable_noStoreOnEitherSide_noStore(String request, String response) {
    HttpHeaders requestHeaders = request == null ? headers() : headers("Cache-Control", request);

    assertThat(CachePolicy.whyNotStorable(requestHeaders, 200, headers("Cache-Control", response)))
        .contains(NoStoreReason.NO_STORE);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"private, max-age=60", "private=\"Set-Cookie\", max-age=60", "max-age=60, PRIVATE"})
  void whyNotStorable_private_private(String cacheControl) {
    assertThat(CachePolicy.whyNotStorable(headers(), 200, headers("Cache-Control", cacheControl)))
        .contains(NoStoreReason.PRIVATE);
  }

  @Test
  void whyNotStorable_varyStar_vary() {
    assertThat(CachePolicy.whyNotStorable(headers(), 200,
        headers("Cache-Control", "max-age=60", "Vary", "Accept-Encoding, *"))).contains(NoStoreReason.VARY);
  }

  @Test
  void whyNotStorable_varyOnRequestFields_storable() {
    assertThat(CachePolicy.whyNotStorable(headers(), 200,
        headers("Cache-Control", "max-age=60", "Vary", "Accept-Encoding"))).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"max-age=60", "proxy-revalidate, max-age=60"})
  void whyNotStorable_authorizationWithoutSharedPermission_authorization(String cacheControl) {
    // RFC 9111 3.5 names must-revalidate, public and s-maxage only: proxy-revalidate alone does not share.
    assertThat(CachePolicy.whyNotStorable(headers("Authorization", "Bearer x"), 200,
        headers("Cache-Control", cacheControl))).contains(NoStoreReason.AUTHORIZATION);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"public, max-age=60", "s-maxage=60", "must-revalidate, max-age=60", "s-maxage=soon"})
  void whyNotStorable_authorizationWithSharedPermission_storable(String cacheControl) {
    assertThat(CachePolicy.whyNotStorable(headers("Authorization", "Bearer x"), 200,
        headers("Cache-Control", cacheControl))).isEmpty();
  }

  @Test
  void whyNotStorable_setCookie_setCookie() {
    assertThat(CachePolicy.whyNotStorable(headers(), 200,
        headers("Cache-Control", "public, max-age=60", "Set-Cookie", "id=1"))).contains(NoStoreReason.SET_COOKIE);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "public", "max-age=0", "s-maxage=0, max-age=60", "no-cache, max-age=60",
      "max-age=soon"})
  void whyNotStorable_noPositiveFreshnessOrNoCache_storedForRevalidation(String cacheControl) {
    HttpHeaders response = cacheControl.isEmpty() ? headers() : headers("Cache-Control", cacheControl);

    assertThat(CachePolicy.whyNotStorable(headers(), 200, response)).isEmpty();
  }

  @Test
  void whyNotStorable_maxAge_storable() {
    assertThat(CachePolicy.whyNotStorable(headers(), 200, headers("Cache-Control", "max-age=60")))
        .isEqualTo(Optional.empty());
  }

  @Test
  void whyNotStorable_expiresAfterDate_storable() {
    HttpHeaders response = headers("Date", http(T), "Expires", http(T + 3_600_000));

    assertThat(CachePolicy.whyNotStorable(headers(), 200, response)).isEmpty();
  }

  @Test
  void whyNotStorable_severalReasons_statusReportedFirst() {
    HttpHeaders response = headers("Cache-Control", "no-store, private", "Vary", "*", "Set-Cookie", "a=b");

    assertThat(CachePolicy.whyNotStorable(headers("Authorization", "x"), 302, response))
        .contains(NoStoreReason.STATUS);
  }

  // freshnessLifetime

  @Test
  void freshnessLifetime_sMaxAge_winsOverMaxAgeAndExpires() {
    HttpHeaders response = headers("Cache-Control", "max-age=10, s-maxage=20", "Date", http(T),
        "Expires", http(T + 30_000));

    assertThat(CachePolicy.explicitLifetime(response, T)).isEqualTo(20);
  }

  @Test
  void freshnessLifetime_sMaxAgeZero_zeroDespiteMaxAge() {
    assertThat(CachePolicy.explicitLifetime(headers("Cache-Control", "s-maxage=0, max-age=60"), T)).isZero();
  }

  @Test
  void freshnessLifetime_maxAge_winsOverExpires() {
    HttpHeaders response = headers("Cache-Control", "max-age=10", "Date", http(T), "Expires", http(T + 30_000));

    assertThat(CachePolicy.explicitLifetime(response, T)).isEqualTo(10);
  }

  @Test
  void freshnessLifetime_expiresAndDate_difference() {
    HttpHeaders response = headers("Date", http(T), "Expires", http(T + 3_600_000));

    assertThat(CachePolicy.explicitLifetime(response, T)).isEqualTo(3600);
  }

  @Test
  void freshnessLifetime_expiresBeforeDate_zero() {
    assertThat(CachePolicy.explicitLifetime(headers("Date", http(T), "Expires", http(T - 60_000)), T)).isZero();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"0", "-1", "never", "Sat, 99 Foo 2025 10:00:00 GMT"})
  void freshnessLifetime_invalidExpires_zero(String expires) {
    assertThat(CachePolicy.explicitLifetime(headers("Date", http(T), "Expires", expires), T)).isZero();
  }

  @Test
  void freshnessLifetime_noExplicitLifetime_minusOne() {
    assertThat(CachePolicy.explicitLifetime(headers("Date", http(T), "Last-Modified", http(T - 86_400_000)), T))
        .isEqualTo(-1);
  }

  // currentAge (RFC 9111 4.2.3)

  @Test
  void currentAge_originClockBehind_apparentAgeDominates() {
    // date_value 995 s, request_time 1000 s, response_time 1002 s: apparent_age 7 > response_delay 2
    long age = CachePolicy.currentAge(0, sec(995), sec(1000), sec(1002), sec(1002));

    assertThat(age).isEqualTo(7);
  }

  @Test
  void currentAge_ageHeaderAndResponseDelay_correctedAgeValueDominates() {
    // Age 30 from an upstream cache, request took 2 s, Date equals response_time: 30 + 2 = 32
    long age = CachePolicy.currentAge(30, sec(1002), sec(1000), sec(1002), sec(1002));

    assertThat(age).isEqualTo(32);
  }

  @Test
  void currentAge_residentTime_added() {
    // corrected_initial_age 32 as above, then 10 s in this cache
    long age = CachePolicy.currentAge(30, sec(1002), sec(1000), sec(1002), sec(1012));

    assertThat(age).isEqualTo(42);
  }

  @Test
  void currentAge_originClockAhead_apparentAgeClampedToZero() {
    // Date in the future of response_time: apparent_age is max(0, negative) = 0
    long age = CachePolicy.currentAge(0, sec(1100), sec(1000), sec(1000), sec(1005));

    assertThat(age).isEqualTo(5);
  }

  @Test
  void currentAge_sameInstantEverywhere_zero() {
    assertThat(CachePolicy.currentAge(0, sec(1000), sec(1000), sec(1000), sec(1000))).isZero();
  }

  @Test
  void currentAge_subSecondTerms_truncated() {
    assertThat(CachePolicy.currentAge(0, sec(1000), sec(1000), sec(1000), sec(1000) + 1999)).isEqualTo(1);
  }

  // ageHeader

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {"30 | 30", " 7  | 7", "0 | 0", "-5 | 0", "abc | 0", "1.5 | 0",
      "'7200, 0' | 7200", "', 60' | 60", "'abc, 60' | 0", "+5 | 0", "99999999999 | 2147483648"})
  void ageHeader_value_parsedOrZero(String value, long expected) {
    assertThat(CachePolicy.ageHeader(headers("Age", value))).isEqualTo(expected);
  }

  @Test
  void ageHeader_severalLines_firstCounts() {
    assertThat(CachePolicy.ageHeader(headers("Age", "7200", "Age", "0"))).isEqualTo(7200);
  }

  @Test
  void ageHeader_absent_zero() {
    assertThat(CachePolicy.ageHeader(headers())).isZero();
  }

  // dateMillis

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
      "Sun Nov  6 08:49:37 1994"})
  void dateMillis_threeHttpDateFormats_parsed(String date) {
    assertThat(CachePolicy.dateMillis(date, -1)).isEqualTo(NOV_6_1994);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "yesterday", "2025-03-01T10:00:00Z", "0"})
  void dateMillis_invalid_fallback(String date) {
    assertThat(CachePolicy.dateMillis(date, 42)).isEqualTo(42);
  }

  @Test
  void dateMillis_null_fallback() {
    assertThat(CachePolicy.dateMillis(null, 42)).isEqualTo(42);
  }

  private static long sec(long seconds) {
    return T + seconds * 1000;
  }

  private static String http(long millis) {
    return DateFormatter.format(new Date(millis));
  }

  private static HttpHeaders headers(String... namesAndValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  @Test
  void aDateValueOverSixtyFourCharactersIsMalformedNotAnException() {
    // Found by HeaderParsersFuzzTest: Netty's DateFormatter throws IllegalArgumentException past 64
    // characters; a client's If-Modified-Since of that length reached it on a hit.
    assertThat(CachePolicy.dateMillis("x".repeat(65), -1)).isEqualTo(-1);
    // Spaces around a field value are not part of it (RFC 9110 5.5): the strict parser skips them.
    assertThat(CachePolicy.dateMillis("Sun, 06 Nov 1994 08:49:37 GMT" + " ".repeat(40), 7)).isEqualTo(784111777000L);
    assertThat(CachePolicy.dateMillis("Sun, 06 Nov 1994 08:49:37 GMT" + "x".repeat(40), 7)).isEqualTo(7);
    assertThat(CachePolicy.dateMillis("Sun, 06 Nov 1994 08:49:37 GMT", -1)).isEqualTo(784111777000L);
  }
}
