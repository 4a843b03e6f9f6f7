package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.config.PathOverride;
import fr.acclermont.gateway.config.PathOverrides;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The caching rules, one row per rule, each naming the section of RFC 9111 (or 9110, 5861) it
 * checks. A row stores the origin's answer at time T (the response's {@code Date}), then asks what
 * the cache does with a request {@code elapsed} later: serve it as {@code fresh}, serve it stale
 * while revalidating in the background, or {@code revalidate} first; and, for a stale copy, whether
 * it may stand in ({@code on error stale}) when the origin is in error or out of reach. The clock
 * is injected: every time is computed from T, nothing is slept.
 */
class CachingRulesTableTest {

  private static final long T = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
  private static final CacheKey KEY = new CacheKey("cloud", "/books/b1/manifest.json");

  private static final CacheRules DEFAULTS = CacheRules.DEFAULTS;
  private static final CacheRules NO_OFFLINE = new CacheRules(86_400, 0, 5_000, PathOverrides.NONE);
  private static final CacheRules OFFLINE_BOOKS = new CacheRules(86_400, 7 * 86_400, 5_000,
      new PathOverrides(List.of(new PathOverride("/books/", null, true))));
  private static final CacheRules FRESH_30_DAYS = new CacheRules(86_400, 7 * 86_400, 5_000,
      new PathOverrides(List.of(new PathOverride("/books/", Duration.ofDays(30), false))));

  /**
   * @param rfc the section checked
   * @param rule what the row shows
   * @param rules the operator's choices
   * @param request the client's request header lines ({@code Name: value})
   * @param status the origin's status
   * @param response the origin's header lines besides {@code Date} (T)
   * @param elapsed the time between the answer and the next request
   * @param expected what the cache does
   */
  record Row(String rfc, String rule, CacheRules rules, List<String> request, int status, List<String> response,
      Duration elapsed, String expected) {

    @Override
    public String toString() {
      return rfc + ": " + rule;
    }
  }

  private static Row row(String rfc, String rule, int status, List<String> response, Duration elapsed,
      String expected) {
    return new Row(rfc, rule, DEFAULTS, List.of(), status, response, elapsed, expected);
  }

  private static String at(Duration offset) {
    return DateFormatter.format(new Date(T + offset.toMillis()));
  }

  private static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  static Stream<Row> rows() {
    return Stream.of(
        // Freshness lifetime (RFC 9111 4.2.1)
        row("9111 4.2.1", "s-maxage wins over max-age", 200,
            List.of("Cache-Control: max-age=10, s-maxage=100"), s(50), "fresh"),
        row("9111 4.2.1", "max-age wins over Expires", 200,
            List.of("Cache-Control: max-age=100", "Expires: " + at(s(10))), s(50), "fresh"),
        row("9111 4.2.1", "Expires minus Date, before it", 200,
            List.of("Expires: " + at(s(100))), s(50), "fresh"),
        row("9111 4.2.1", "Expires minus Date, after it", 200,
            List.of("Expires: " + at(s(100))), s(150), "revalidate, on error stale"),
        row("9111 4.2.1", "a directive given twice counts once, the first", 200,
            List.of("Cache-Control: max-age=100, max-age=10"), s(50), "fresh"),
        row("9111 4.2.1", "an invalid max-age makes the response stale", 200,
            List.of("Cache-Control: max-age=ten"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an invalid Expires means already expired", 200,
            List.of("Expires: 0"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires before Date means already expired", 200,
            List.of("Expires: " + at(s(-60))), s(0), "revalidate, on error stale"),
        // Age (RFC 9111 4.2.3)
        row("9111 4.2.3", "the origin's Age counts in the age", 200,
            List.of("Cache-Control: max-age=100", "Age: 80"), s(30), "revalidate, on error stale"),
        row("9111 4.2.3", "an invalid Age counts for nothing", 200,
            List.of("Cache-Control: max-age=100", "Age: soon"), s(30), "fresh"),
        // Heuristic freshness (RFC 9111 4.2.2)
        row("9111 4.2.2", "10% of the time since Last-Modified, within it", 200,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9111 4.2.2", "10% of the time since Last-Modified, after it", 200,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(25),
            "revalidate, on error stale"),
        row("9111 4.2.2", "capped by cache.heuristic-max-lifetime (1d)", 200,
            List.of("Last-Modified: " + at(Duration.ofDays(-100))), Duration.ofDays(2),
            "revalidate, on error stale"),
        row("9111 4.2.2", "for heuristically cacheable statuses too (404)", 404,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9111 4.2.2", "no Last-Modified: no heuristic lifetime", 200,
            List.of(), s(0), "revalidate, on error stale"),
        // Statuses (RFC 9110 15.1; RFC 9111 3)
        row("9110 15.1", "a heuristically cacheable status is stored without freshness (301)", 301,
            List.of("Location: /books/b2/"), s(0), "revalidate, on error stale"),
        row("9110 15.1", "a heuristically cacheable status is stored without freshness (410)", 410,
            List.of(), s(0), "revalidate, on error stale"),
        row("9111 3", "another status needs explicit freshness (307 with max-age)", 307,
            List.of("Cache-Control: max-age=60", "Location: /books/b2/"), s(30), "fresh"),
        row("9111 3", "another status without explicit freshness is not stored (302)", 302,
            List.of("Location: /books/b2/"), s(0), "not stored: status"),
        row("9111 3", "a 206 or 304 is never stored as such", 206,
            List.of("Cache-Control: max-age=60"), s(0), "not stored: status"),
        // Cache-Control response directives (RFC 9111 5.2.2)
        row("9111 5.2.2.4", "no-cache: stored, revalidated every time", 200,
            List.of("Cache-Control: max-age=100, no-cache"), s(0), "revalidate, on error error"),
        row("9111 5.2.2.2", "must-revalidate: never served stale", 200,
            List.of("Cache-Control: max-age=10, must-revalidate"), s(20), "revalidate, on error error"),
        row("9111 5.2.2.8", "proxy-revalidate: never served stale by a shared cache", 200,
            List.of("Cache-Control: max-age=10, proxy-revalidate"), s(20), "revalidate, on error error"),
        row("9111 5.2.2.10", "s-maxage implies proxy-revalidate", 200,
            List.of("Cache-Control: s-maxage=10"), s(20), "revalidate, on error error"),
        row("9111 5.2.2.5", "no-store: not stored", 200,
            List.of("Cache-Control: max-age=100, no-store"), s(0), "not stored: no-store"),
        row("9111 5.2.2.7", "private: not stored by a shared cache", 200,
            List.of("Cache-Control: private, max-age=100"), s(0), "not stored: private"),
        row("9111 5.2.2.9", "public makes a status storable", 302,
            List.of("Cache-Control: public", "Location: /books/b2/"), s(0), "revalidate, on error stale"),
        new Row("9111 5.2.1.5", "no-store on the request: not stored", DEFAULTS, List.of("Cache-Control: no-store"),
            200, List.of("Cache-Control: max-age=100"), s(0), "not stored: no-store"),
        // Authorization (RFC 9111 3.5)
        new Row("9111 3.5", "a request with Authorization: not shared by default", DEFAULTS,
            List.of("Authorization: Bearer t"), 200, List.of("Cache-Control: max-age=100"), s(0),
            "not stored: authorization"),
        new Row("9111 3.5", "a request with Authorization: shared when public", DEFAULTS,
            List.of("Authorization: Bearer t"), 200, List.of("Cache-Control: public, max-age=100"), s(50), "fresh"),
        // Vary (RFC 9111 4.1)
        row("9111 4.1", "Vary: * is never served from the cache", 200,
            List.of("Cache-Control: max-age=100", "Vary: *"), s(0), "not stored: vary"),
        // Serving stale (RFC 5861; RFC 9111 4.2.4)
        row("5861 3", "stale-while-revalidate: served at once, refreshed in the background", 200,
            List.of("Cache-Control: max-age=10, stale-while-revalidate=30"), s(20),
            "stale-while-revalidate, on error stale"),
        row("5861 3", "stale-while-revalidate: beyond its window, revalidated first", 200,
            List.of("Cache-Control: max-age=10, stale-while-revalidate=30"), s(50), "revalidate, on error stale"),
        new Row("5861 4", "stale-if-error: within it, stale on error", NO_OFFLINE, List.of(), 200,
            List.of("Cache-Control: max-age=10, stale-if-error=30"), s(30), "revalidate, on error stale"),
        new Row("5861 4", "stale-if-error: beyond it, the error", NO_OFFLINE, List.of(), 200,
            List.of("Cache-Control: max-age=10, stale-if-error=30"), s(50), "revalidate, on error error"),
        row("9111 4.2.4", "offline mode: stale on error within cache.max-stale-on-error (7d)", 200,
            List.of("Cache-Control: max-age=10"), Duration.ofDays(6), "revalidate, on error stale"),
        row("9111 4.2.4", "offline mode: beyond cache.max-stale-on-error, the error", 200,
            List.of("Cache-Control: max-age=10"), Duration.ofDays(8), "revalidate, on error error"),
        new Row("9111 4.2.4", "offline override: a no-cache manifest stands in on error", OFFLINE_BOOKS, List.of(),
            200, List.of("Cache-Control: no-cache"), s(60), "revalidate, on error stale"),
        new Row("9111 4.2.4", "offline override: within cache.max-stale-on-error only", OFFLINE_BOOKS, List.of(),
            200, List.of("Cache-Control: no-cache"), Duration.ofDays(8), "revalidate, on error error"),
        // The operator's per-path overrides
        new Row("9111 4.2.1", "fresh-for override lengthens the origin's lifetime", FRESH_30_DAYS, List.of(), 200,
            List.of("Cache-Control: max-age=10"), Duration.ofDays(29), "fresh"),
        new Row("9111 5.2.2.7", "fresh-for override never shares private content", FRESH_30_DAYS, List.of(), 200,
            List.of("Cache-Control: private"), s(0), "not stored: private"),
        // Targeted fields, Authorization, status codes (RFC 9213; RFC 9111 3.5; RFC 9110 15.1)
        row("9213 2.1", "CDN-Cache-Control max-age wins over Cache-Control no-store", 200,
            List.of("Cache-Control: no-store", "CDN-Cache-Control: max-age=100"), s(50), "fresh"),
        row("9213 2.1", "CDN-Cache-Control no-store wins over Cache-Control max-age", 200,
            List.of("Cache-Control: max-age=100", "CDN-Cache-Control: no-store"), s(0), "not stored: no-store"),
        row("9213 2.1", "CDN-Cache-Control private wins over Cache-Control public", 200,
            List.of("Cache-Control: public, max-age=100", "CDN-Cache-Control: private"), s(0), "not stored: private"),
        row("9213 2.1", "CDN-Cache-Control no-cache wins over Cache-Control max-age", 200,
            List.of("Cache-Control: max-age=100", "CDN-Cache-Control: no-cache, max-age=100"), s(0),
            "revalidate, on error error"),
        row("9213 2.1", "CDN-Cache-Control s-maxage: its lifetime, never served stale", 200,
            List.of("Cache-Control: max-age=1000", "CDN-Cache-Control: s-maxage=10"), s(20),
            "revalidate, on error error"),
        row("9213 2.1", "CDN-Cache-Control stale-while-revalidate over Cache-Control no-cache", 200,
            List.of("Cache-Control: no-cache", "CDN-Cache-Control: max-age=10, stale-while-revalidate=30"), s(20),
            "stale-while-revalidate, on error stale"),
        new Row("9213 2.1", "CDN-Cache-Control stale-if-error: within it, stale on error", NO_OFFLINE, List.of(), 200,
            List.of("Cache-Control: max-age=10", "CDN-Cache-Control: max-age=10, stale-if-error=30"), s(30),
            "revalidate, on error stale"),
        row("9213 2.1", "a targeted field makes Expires count for nothing", 200,
            List.of("Expires: " + at(s(100)), "CDN-Cache-Control: must-revalidate"), s(50),
            "revalidate, on error error"),
        row("9213 2.1", "a targeted field makes Cache-Control's public count for nothing (302)", 302,
            List.of("Cache-Control: public", "CDN-Cache-Control: must-revalidate", "Location: /books/b2/"), s(0),
            "not stored: status"),
        row("9213 2.1", "the configured field (default Edge-Cache-Control) comes before CDN-Cache-Control", 200,
            List.of("Edge-Cache-Control: max-age=100", "CDN-Cache-Control: no-store"), s(50), "fresh"),
        new Row("9213 2.1", "cache.targeted-cache-control names the first field; others are not obeyed",
            targetedAt("School-Cache-Control"), List.of(), 200,
            List.of("School-Cache-Control: max-age=100", "Edge-Cache-Control: no-store"), s(50), "fresh"),
        row("9213 2.1", "an invalid first field gives way to the next one on the list", 200,
            List.of("Edge-Cache-Control: max-age=100,", "CDN-Cache-Control: max-age=10",
                "Cache-Control: max-age=1000"), s(50), "revalidate, on error stale"),
        row("9213 2.2", "an invalid targeted field is ignored: Cache-Control applies", 200,
            List.of("CDN-Cache-Control: Max-Age=1000", "Cache-Control: max-age=10"), s(50),
            "revalidate, on error stale"),
        row("9213 2.2", "an empty targeted field is ignored: Cache-Control applies", 200,
            List.of("CDN-Cache-Control: ", "Cache-Control: no-store"), s(0), "not stored: no-store"),
        row("9213 2.2", "a targeted max-age that is not an Integer makes the response stale", 200,
            List.of("CDN-Cache-Control: max-age=\"100\"", "Cache-Control: max-age=1000"), s(0),
            "revalidate, on error stale"),
        row("9213 2.2", "a directive set to false (?0) is absent", 200,
            List.of("CDN-Cache-Control: no-store=?0, max-age=100"), s(50), "fresh"),
        new Row("9111 3.5", "Authorization, must-revalidate: stored and shared while fresh", DEFAULTS,
            List.of("Authorization: Bearer t"), 200, List.of("Cache-Control: must-revalidate, max-age=100"), s(50),
            "fresh"),
        new Row("9111 3.5", "Authorization, must-revalidate: once stale, revalidated, never stale", DEFAULTS,
            List.of("Authorization: Bearer t"), 200, List.of("Cache-Control: must-revalidate, max-age=100"), s(150),
            "revalidate, on error error"),
        new Row("9111 3.5", "Authorization, s-maxage: stored, never served stale (proxy-revalidate)", DEFAULTS,
            List.of("Authorization: Bearer t"), 200, List.of("Cache-Control: s-maxage=100"), s(150),
            "revalidate, on error error"),
        new Row("9111 3.5", "Authorization, public: stored, no further requirement", DEFAULTS,
            List.of("Authorization: Bearer t"), 200, List.of("Cache-Control: public, max-age=100"), s(150),
            "revalidate, on error stale"),
        new Row("9111 3.5", "Authorization, proxy-revalidate alone: not stored", DEFAULTS,
            List.of("Authorization: Bearer t"), 200, List.of("Cache-Control: proxy-revalidate, max-age=100"), s(0),
            "not stored: authorization"),
        new Row("9111 3.5", "Authorization, a targeted field's public shares it", DEFAULTS,
            List.of("Authorization: Bearer t"), 200,
            List.of("Cache-Control: private", "CDN-Cache-Control: public, max-age=100"), s(50), "fresh"),
        new Row("9111 3.5", "Authorization, Cache-Control's public ignored under a targeted field", DEFAULTS,
            List.of("Authorization: Bearer t"), 200,
            List.of("Cache-Control: public, max-age=100", "CDN-Cache-Control: max-age=100"), s(0),
            "not stored: authorization"),
        row("9110 15.1", "heuristically cacheable: 203 with heuristic freshness", 203,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9110 15.1", "heuristically cacheable: 204 with heuristic freshness", 204,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9110 15.1", "heuristically cacheable: 300 with heuristic freshness", 300,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9110 15.1", "heuristically cacheable: 301 with heuristic freshness", 301,
            List.of("Last-Modified: " + at(Duration.ofDays(-10)), "Location: /books/b2/"), Duration.ofHours(23),
            "fresh"),
        row("9110 15.1", "heuristically cacheable: 308 with heuristic freshness", 308,
            List.of("Last-Modified: " + at(Duration.ofDays(-10)), "Location: /books/b2/"), Duration.ofHours(23),
            "fresh"),
        row("9110 15.1", "heuristically cacheable: 405 with heuristic freshness", 405,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9110 15.1", "heuristically cacheable: 410 with heuristic freshness", 410,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9110 15.1", "heuristically cacheable: 414 with heuristic freshness", 414,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9110 15.1", "heuristically cacheable: 501 with heuristic freshness", 501,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), Duration.ofHours(23), "fresh"),
        row("9111 4.2.2", "not heuristically cacheable: no heuristic freshness even when public (403)", 403,
            List.of("Cache-Control: public", "Last-Modified: " + at(Duration.ofDays(-10))), s(0),
            "revalidate, on error stale"),
        row("9111 3", "another status with s-maxage is stored (403)", 403,
            List.of("Cache-Control: s-maxage=60"), s(30), "fresh"),
        row("9111 3", "another status with Expires is stored (302)", 302,
            List.of("Expires: " + at(s(60)), "Location: /books/b2/"), s(30), "fresh"),
        row("9111 3", "another status without explicit freshness is not stored (400)", 400,
            List.of("Last-Modified: " + at(Duration.ofDays(-10))), s(0), "not stored: status"),
        row("9111 3", "another status with a targeted max-age is stored (307)", 307,
            List.of("CDN-Cache-Control: max-age=60", "Location: /books/b2/"), s(30), "fresh"),
        row("9111 4.2.4", "a 5xx other than 501 is an origin error, never stored, even with max-age (503)", 503,
            List.of("Cache-Control: max-age=60"), s(0), "not stored: origin error"),
        row("9111 3", "a 304 is never stored as such", 304,
            List.of("Cache-Control: max-age=60"), s(0), "not stored: status"),
        new Row("9111 5.2.2.5", "fresh-for override never stores no-store content", FRESH_30_DAYS, List.of(), 200,
            List.of("Cache-Control: no-store"), s(0), "not stored: no-store"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void rule(Row row) {
    assertThat(decide(row)).isEqualTo(row.expected());
  }

  /** What the cache does with the row's response, as the gateway decides it. */
  private static String decide(Row row) {
    HttpHeaders request = headers(row.request());
    HttpHeaders response = headers(row.response()).set(HttpHeaderNames.DATE, at(Duration.ZERO));
    if (CachePolicy.originError(row.status())) {
      // As the gateway reads an origin's answer (ProbeAnswer): a stale copy stands in, never stored.
      return "not stored: origin error";
    }
    Optional<NoStoreReason> why = row.rules().whyNotStorable(request, row.status(), response);
    if (why.isPresent()) {
      return "not stored: " + why.get().tag();
    }
    StoredObject stored = new StoredObject(KEY, 1, row.status(), response, 10, 1024, T, T, T,
        CachePolicy.ageHeader(response), row.rules().lifetime(KEY, row.status(), response, T), true,
        row.rules().directives(response));
    long now = T + row.elapsed().toMillis();
    if (stored.isFresh(now)) {
      return "fresh";
    }
    String use = CachePolicy.mayServeWhileRevalidating(stored, now) ? "stale-while-revalidate" : "revalidate";
    return use + ", on error " + (row.rules().mayServeStaleOnError(stored, now) ? "stale" : "error");
  }

  private static HttpHeaders headers(List<String> lines) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (String line : lines) {
      int colon = line.indexOf(':');
      headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    return headers;
  }

  /** The default rules with {@code cache.targeted-cache-control} set to {@code field} (RFC 9213). */
  private static CacheRules targetedAt(String field) {
    return new CacheRules(86_400, 7 * 86_400, 5_000, PathOverrides.NONE, TargetedCacheControl.of(field));
  }
}
