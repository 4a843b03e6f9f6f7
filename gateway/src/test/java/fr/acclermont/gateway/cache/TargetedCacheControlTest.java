package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The choice of a response's directives (RFC 9213 2.1) and the parsing of a targeted field (2.2). */
class TargetedCacheControlTest {

  private static HttpHeaders headers(String... namesAndValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  @Test
  void of_configuredField_thenCdnCacheControl() {
    assertThat(TargetedCacheControl.DEFAULT.fields()).containsExactly("Edge-Cache-Control", "CDN-Cache-Control");
    assertThat(TargetedCacheControl.of("cdn-cache-control").fields()).containsExactly("CDN-Cache-Control");
  }

  @Test
  void select_noTargetedField_cacheControl() {
    ResponseDirectives d =
        TargetedCacheControl.DEFAULT.select(headers("Cache-Control", "max-age=60, proxy-revalidate"));

    assertThat(d.targeted()).isFalse();
    assertThat(d.expiresApplies()).isTrue();
    assertThat(d.control().maxAge()).isEqualTo(60);
    assertThat(d.has("proxy-revalidate")).isTrue();
    assertThat(d.has("must-revalidate")).isFalse();
  }

  @Test
  void select_noFieldAtAll_none() {
    assertThat(TargetedCacheControl.DEFAULT.select(headers())).isEqualTo(ResponseDirectives.NONE);
  }

  @Test
  void select_targetedField_everyDirectiveMapped() {
    ResponseDirectives d = TargetedCacheControl.DEFAULT.select(headers("Cache-Control", "no-store",
        "CDN-Cache-Control", "max-age=60, s-maxage=30, stale-while-revalidate=10, stale-if-error=20, no-cache,"
            + " private, public, must-revalidate"));

    assertThat(d.field()).isEqualTo("CDN-Cache-Control");
    assertThat(d.expiresApplies()).isFalse();
    assertThat(d.control()).isEqualTo(new CacheControl(false, true, true, true, true, 60, 30, 10, 20, false));
  }

  @Test
  void select_severalLines_oneDictionary() {
    ResponseDirectives d = TargetedCacheControl.DEFAULT.select(headers("CDN-Cache-Control", "max-age=60",
        "CDN-Cache-Control", "must-revalidate"));

    assertThat(d.control().maxAge()).isEqualTo(60);
    assertThat(d.control().mustRevalidate()).isTrue();
  }

  @Test
  void select_parametersAndOtherValueTypes_valid() {
    ResponseDirectives d = TargetedCacheControl.DEFAULT.select(headers("CDN-Cache-Control",
        "max-age=60;a=1, private=\"Set-Cookie\", x-ext=(1 2);q=?1, y=:AQID:, z=1.5, w=tok/en"));

    assertThat(d.targeted()).isTrue();
    assertThat(d.control().maxAge()).isEqualTo(60);
    assertThat(d.control().isPrivate()).isTrue();
  }

  @Test
  void select_keyGivenTwice_lastWins() {
    // RFC 8941 4.2.2: a later member overwrites an earlier one of the same key.
    assertThat(TargetedCacheControl.DEFAULT.select(headers("CDN-Cache-Control", "max-age=10, max-age=60"))
        .control().maxAge()).isEqualTo(60);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "max-age=60,,private", "Max-Age=60", "max-age=60,", "max-age=60;", "max-age=6x",
      "max-age=\"60", "max-age=1234567890123456", "max-age=60 private", "max-age=?2", ",max-age=60", "max-age=(1 2"})
  void select_emptyOrInvalidTargetedField_ignored(String value) {
    ResponseDirectives d = TargetedCacheControl.DEFAULT.select(headers("CDN-Cache-Control", value,
        "Cache-Control", "max-age=5"));

    assertThat(d.targeted()).isFalse();
    assertThat(d.control().maxAge()).isEqualTo(5);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"max-age=-1", "max-age=\"60\"", "max-age", "max-age=1.5"})
  void select_maxAgeNotANonNegativeInteger_invalidLifetime(String value) {
    ResponseDirectives d = TargetedCacheControl.DEFAULT.select(headers("CDN-Cache-Control", value,
        "Cache-Control", "max-age=5"));

    assertThat(d.targeted()).isTrue();
    assertThat(d.control().maxAge()).isEqualTo(-1);
    assertThat(d.control().invalidLifetime()).isTrue();
  }

  @Test
  void read_fieldNoLongerValid_cacheControl() {
    HttpHeaders headers = headers("Cache-Control", "max-age=5", "School-Cache-Control", "max-age=60");

    assertThat(TargetedCacheControl.read(headers, "School-Cache-Control").control().maxAge()).isEqualTo(60);
    assertThat(TargetedCacheControl.read(headers, "Cache-Control").control().maxAge()).isEqualTo(5);
    assertThat(TargetedCacheControl.read(headers, "Other-Cache-Control").control().maxAge()).isEqualTo(5);
  }

  @Test
  void refreshed_304WithATargetedField_obeysItFromThen() {
    // RFC 9111 4.3.4 and RFC 9213: the 304's fields replace the stored ones, a targeted field too.
    HttpHeaders stored = headers("Cache-Control", "max-age=10");
    CacheRules rules = new CacheRules(86_400, 0, 5_000, fr.acclermont.gateway.config.PathOverrides.NONE,
        TargetedCacheControl.of("School-Cache-Control"));
    StoredObject object = new StoredObject(new CacheKey("cloud", "/b"), 1, 200, stored, 10, 4, 0, 0, 0, 0,
        rules.lifetime(new CacheKey("cloud", "/b"), 200, stored, 0), true, rules.directives(stored));

    StoredObject refreshed = rules.refreshed(object, headers("School-Cache-Control", "max-age=600, must-revalidate"),
        1000, 1000);

    assertThat(object.controlField()).isEqualTo("cache-control");
    assertThat(refreshed.controlField()).isEqualTo("School-Cache-Control");
    assertThat(refreshed.freshnessLifetimeSeconds()).isEqualTo(600);
    assertThat(refreshed.control().mustRevalidate()).isTrue();
  }
}
