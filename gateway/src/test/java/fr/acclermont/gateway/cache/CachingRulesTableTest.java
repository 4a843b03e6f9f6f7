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
 * while revalidating in the background, serve it stale as the request's {@code max-stale} allows,
 * answer 504 to an {@code only-if-cached} request, or {@code revalidate} first; and whether
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
  private static final CacheRules RELOAD_EVERY_TIME = new CacheRules(86_400, 7 * 86_400, 0, PathOverrides.NONE);

  /**
   * @param rfc the section checked
   * @param rule what the row shows
   * @param rules the operator's choices
   * @param request the client's request header lines ({@code Name: value})
   * @param status the origin's status
   * @param response the origin's header lines; {@code Date} is T unless they give one
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
        // Parsing: dates, Age, Cache-Control (RFC 9111 5.1, 5.2, 5.3; RFC 9110 5.6.7)
        row("9110 5.6.7", "an obsolete rfc850-date is a date", 200,
            List.of("Expires: Monday, 02-Mar-26 08:01:40 GMT"), s(50), "fresh"),
        row("9110 5.6.7", "an obsolete asctime-date is a date", 200,
            List.of("Expires: Mon Mar  2 08:01:40 2026"), s(50), "fresh"),
        row("9110 5.6.7", "an rfc850-date's year is not more than 50 years ahead (30: 2030)", 200,
            List.of("Expires: Saturday, 02-Mar-30 08:00:00 GMT"), s(50), "fresh"),
        row("9110 5.6.7", "an rfc850-date's year more than 50 years ahead is the past (99: 1999)", 200,
            List.of("Expires: Tuesday, 02-Mar-99 08:00:00 GMT"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires in UTC is invalid: already expired", 200,
            List.of("Expires: Thu, 18 Aug 2050 02:01:18 UTC"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires in another zone is invalid: already expired", 200,
            List.of("Expires: Mon, 02 Mar 2026 09:01:40 CET"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires with a two-digit year in IMF form is invalid", 200,
            List.of("Expires: Mon, 02 Mar 50 08:01:40 GMT"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires without the comma is invalid", 200,
            List.of("Expires: Mon 02 Mar 2026 08:01:40 GMT"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires with several spaces is invalid", 200,
            List.of("Expires: Mon,  02 Mar 2026 08:01:40 GMT"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires with dashes in IMF form is invalid", 200,
            List.of("Expires: Mon, 02-Mar-2026 08:01:40 GMT"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires with a one-digit hour is invalid", 200,
            List.of("Expires: Mon, 02 Mar 2026 8:01:40 GMT"), s(0), "revalidate, on error stale"),
        row("9111 5.3", "an Expires on two field lines is invalid", 200,
            List.of("Expires: " + at(s(100)), "Expires: " + at(s(100))), s(0), "revalidate, on error stale"),
        row("9110 6.6.1", "an invalid Date is replaced by the time of receipt", 200,
            List.of("Date: yesterday", "Expires: " + at(s(100))), s(50), "fresh"),
        row("9110 6.6.1", "a Date on two field lines is replaced by the time of receipt", 200,
            List.of("Date: " + at(s(3600)), "Date: " + at(s(3600)), "Expires: " + at(s(100))), s(50),
            "fresh"),
        row("9111 4.2.2", "an invalid Last-Modified gives no heuristic lifetime", 200,
            List.of("Last-Modified: Fri, 20 Feb 2026 08:00:00 UTC"), s(60), "revalidate, on error stale"),
        row("9111 5.1", "of an Age list the first member counts", 200,
            List.of("Cache-Control: max-age=3600", "Age: 7200, 0"), s(0), "revalidate, on error stale"),
        row("9111 5.1", "of an Age list the first member counts (0 first)", 200,
            List.of("Cache-Control: max-age=3600", "Age: 0, 7200"), s(0), "fresh"),
        row("9111 5.1", "of two Age lines the first counts", 200,
            List.of("Cache-Control: max-age=3600", "Age: 7200", "Age: 0"), s(0), "revalidate, on error stale"),
        row("9111 5.1", "an Age that is not digits is ignored", 200,
            List.of("Cache-Control: max-age=100", "Age: 7200.5"), s(30), "fresh"),
        row("9111 5.2", "a quoted max-age is read", 200,
            List.of("Cache-Control: max-age=\"100\""), s(50), "fresh"),
        row("9111 5.2", "directive names are case-insensitive (MAX-AGE)", 200,
            List.of("Cache-Control: MAX-AGE=100"), s(50), "fresh"),
        row("9111 5.2", "directive names are case-insensitive (No-Store)", 200,
            List.of("Cache-Control: max-age=100, No-Store"), s(0), "not stored: no-store"),
        row("9111 5.2", "unknown directives are ignored", 200,
            List.of("Cache-Control: max-age=100, foo=bar, x-y"), s(50), "fresh"),
        row("9111 5.2", "a comma inside a quoted string does not split", 200,
            List.of("Cache-Control: community=\"a, max-age=5\", max-age=100"), s(50), "fresh"),
        row("9111 5.2", "Cache-Control on several field lines is one list", 200,
            List.of("Cache-Control: max-age=100", "Cache-Control: no-store"), s(0), "not stored: no-store"),
        row("9111 4.2.1", "max-age on two field lines: the first counts", 200,
            List.of("Cache-Control: max-age=100", "Cache-Control: max-age=10"), s(50), "fresh"),
        row("9111 4.2.1", "an invalid first max-age is not replaced by a later one", 200,
            List.of("Cache-Control: max-age=abc, max-age=100"), s(0), "revalidate, on error stale"),
        row("9111 4.2.1", "max-age=1.5 is invalid: stale", 200,
            List.of("Cache-Control: max-age=1.5"), s(0), "revalidate, on error stale"),
        row("9111 4.2.1", "max-age=-1 is invalid: stale", 200,
            List.of("Cache-Control: max-age=-1"), s(0), "revalidate, on error stale"),
        row("9111 4.2.1", "max-age= is invalid: stale", 200,
            List.of("Cache-Control: max-age="), s(0), "revalidate, on error stale"),
        row("9111 4.2.1", "an invalid max-age is stale, not left to Expires", 200,
            List.of("Cache-Control: max-age=abc", "Expires: " + at(s(100))), s(0), "revalidate, on error stale"),
        row("9111 4.2.1", "an invalid max-age is stale, not left to the heuristic", 200,
            List.of("Cache-Control: max-age=abc", "Last-Modified: " + at(Duration.ofDays(-10))), s(60),
            "revalidate, on error stale"),
        row("9111 4.2.1", "an invalid s-maxage is stale, not left to max-age", 200,
            List.of("Cache-Control: max-age=100, s-maxage=soon"), s(0), "revalidate, on error stale"),
        row("9111 1.2.2", "delta-seconds past 2^31 are 2^31 (fresh after 60 years)", 200,
            List.of("Cache-Control: max-age=99999999999"), Duration.ofDays(60 * 365), "fresh"),
        row("9111 1.2.2", "delta-seconds past 2^31 are 2^31 (stale after 70 years)", 200,
            List.of("Cache-Control: max-age=99999999999"), Duration.ofDays(70 * 365), "revalidate, on error error"),
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
            List.of("Cache-Control: no-store"), s(0), "not stored: no-store"),
        // Vary (RFC 9111 4.1)
        row("9111 4.1", "Vary: * among other names is never served from the cache", 200,
            List.of("Cache-Control: max-age=100", "Vary: Accept-Encoding, *"), s(0), "not stored: vary"),
        row("9111 4.1", "Vary: * on a line of its own is never served from the cache", 200,
            List.of("Cache-Control: max-age=100", "Vary: Accept-Encoding", "Vary: *"), s(0), "not stored: vary"),
        row("9111 4.1", "Vary names in any case, repeated, on several lines: stored", 200,
            List.of("Cache-Control: max-age=100", "Vary: accept-encoding, Accept-Encoding , ,Accept-Language",
                "Vary: ACCEPT-LANGUAGE"), s(50), "fresh"),
        // Request directives (RFC 9111 5.2.1)
        asked("9111 5.2.1.1", "max-age=N: a copy no older than N is served", "max-age=60",
            List.of("Cache-Control: max-age=600"), s(30), "fresh"),
        asked("9111 5.2.1.1", "max-age=N: an older copy is revalidated, though fresh", "max-age=60",
            List.of("Cache-Control: max-age=600"), s(120), "revalidate, on error stale"),
        asked("9111 5.2.1.3", "min-fresh=N: a copy fresh N seconds more is served", "min-fresh=30",
            List.of("Cache-Control: max-age=100"), s(50), "fresh"),
        asked("9111 5.2.1.3", "min-fresh=N: a copy fresh less than N more is revalidated", "min-fresh=60",
            List.of("Cache-Control: max-age=100"), s(50), "revalidate, on error stale"),
        asked("9111 5.2.1.2", "max-stale without a value: any staleness accepted", "max-stale",
            List.of("Cache-Control: max-age=10"), Duration.ofDays(1), "stale: max-stale"),
        asked("9111 5.2.1.2", "max-stale=N: a copy stale up to N seconds is served", "max-stale=60",
            List.of("Cache-Control: max-age=10"), s(30), "stale: max-stale"),
        asked("9111 5.2.1.2", "max-stale=N: a copy staler than N is revalidated", "max-stale=60",
            List.of("Cache-Control: max-age=10"), s(100), "revalidate, on error stale"),
        asked("9111 5.2.1.2", "max-stale=x (malformed): nothing stale accepted", "max-stale=x",
            List.of("Cache-Control: max-age=10"), s(30), "revalidate, on error stale"),
        asked("9111 5.2.1.1", "max-stale still bounded by the request's max-age", "max-age=20, max-stale",
            List.of("Cache-Control: max-age=10"), s(30), "revalidate, on error stale"),
        asked("9111 5.2.2.2", "max-stale never serves a must-revalidate copy stale", "max-stale",
            List.of("Cache-Control: max-age=10, must-revalidate"), s(20), "revalidate, on error error"),
        asked("9111 5.2.2.8", "max-stale never serves a proxy-revalidate copy stale", "max-stale",
            List.of("Cache-Control: max-age=10, proxy-revalidate"), s(20), "revalidate, on error error"),
        asked("9111 5.2.2.10", "max-stale never serves an s-maxage copy stale", "max-stale",
            List.of("Cache-Control: s-maxage=10"), s(20), "revalidate, on error error"),
        asked("9111 5.2.2.4", "max-stale never serves a no-cache copy unvalidated", "max-stale",
            List.of("Cache-Control: no-cache"), s(20), "revalidate, on error error"),
        asked("9111 5.2.1.7", "only-if-cached: a fresh copy is served", "only-if-cached",
            List.of("Cache-Control: max-age=100"), s(50), "fresh"),
        asked("9111 5.2.1.7", "only-if-cached: a stale copy gives 504, the origin untouched", "only-if-cached",
            List.of("Cache-Control: max-age=10"), s(50), "504 only-if-cached"),
        asked("9111 5.2.1.7", "only-if-cached with max-stale: the stale copy is served", "only-if-cached, max-stale",
            List.of("Cache-Control: max-age=10"), s(50), "stale: max-stale"),
        asked("9111 5.2.1.4", "deviation: a reload within cache.reload-revalidate-interval (5s) is served",
            "no-cache", List.of("Cache-Control: max-age=600"), s(2), "fresh"),
        asked("9111 5.2.1.4", "a reload after the interval is revalidated", "no-cache",
            List.of("Cache-Control: max-age=600"), s(6), "revalidate, on error stale"),
        asked("9111 5.2.1.1", "deviation: max-age=0 is a reload, served within the interval", "max-age=0",
            List.of("Cache-Control: max-age=600"), s(2), "fresh"),
        asked("9111 5.2.1.1", "deviation: max-age=N met by a copy validated within the interval", "max-age=60",
            List.of("Cache-Control: max-age=600", "Age: 100"), s(2), "fresh"),
        new Row("9111 5.2.1.4", "interval 0s: every reload is revalidated, as the RFC says", RELOAD_EVERY_TIME,
            List.of("Cache-Control: no-cache"), 200, List.of("Cache-Control: max-age=600"), s(0),
            "revalidate, on error stale"),
        new Row("9111 5.4", "Pragma: no-cache without Cache-Control is a reload", RELOAD_EVERY_TIME,
            List.of("Pragma: no-cache"), 200, List.of("Cache-Control: max-age=600"), s(0),
            "revalidate, on error stale"));
  }

  /** A row whose request sends {@code Cache-Control: directives}, with the default rules. */
  private static Row asked(String rfc, String rule, String directives, List<String> response, Duration elapsed,
      String expected) {
    return new Row(rfc, rule, DEFAULTS, List.of("Cache-Control: " + directives), 200, response, elapsed, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void rule(Row row) {
    assertThat(decide(row)).isEqualTo(row.expected());
  }

  /** What the cache does with the row's response, as the gateway decides it. */
  private static String decide(Row row) {
    HttpHeaders request = headers(row.request());
    HttpHeaders response = headers(row.response());
    if (!response.contains(HttpHeaderNames.DATE)) { // a row may give its own, to check its parsing
      response.set(HttpHeaderNames.DATE, at(Duration.ZERO));
    }
    if (CachePolicy.originError(row.status())) {
      // As the gateway reads an origin's answer (ProbeAnswer): a stale copy stands in, never stored.
      return "not stored: origin error";
    }
    Optional<NoStoreReason> why = row.rules().whyNotStorable(request, row.status(), response);
    if (why.isPresent()) {
      return "not stored: " + why.get().tag();
    }
    StoredObject stored = new StoredObject(KEY, 1, row.status(), response, 10, 1024, T, T,
        CachePolicy.originDate(response, T),
        CachePolicy.ageHeader(response), row.rules().lifetime(KEY, row.status(), response, T), true,
        row.rules().directives(response));
    long now = T + row.elapsed().toMillis();
    RequestDirectives directives = RequestDirectives.of(request);
    CacheRules.Fit fit = row.rules().fit(stored, directives, now);
    if (fit == CacheRules.Fit.FRESH) {
      return "fresh";
    }
    if (fit == CacheRules.Fit.STALE) {
      return "stale: max-stale";
    }
    if (directives.onlyIfCached()) {
      return "504 only-if-cached";
    }
    // A request with no-cache, max-age or min-fresh is revalidated first (ResponderChooser).
    String use = !directives.constrains() && CachePolicy.mayServeWhileRevalidating(stored, now)
        ? "stale-while-revalidate" : "revalidate";
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
