package fr.acclermont.gateway.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;
import java.util.Set;

/**
 * What may be stored and for how long (RFC 9111), as pure functions over headers and clock values:
 * no I/O, no state. Times are epoch milliseconds; lifetimes and ages are seconds, as on the wire.
 */
public final class CachePolicy {

  private CachePolicy() {
  }

  /**
   * The statuses a cache may store without explicit freshness, and give heuristic freshness to
   * (RFC 9110 15.1, "heuristically cacheable").
   */
  private static final Set<Integer> HEURISTICALLY_CACHEABLE =
      Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

  /** The share of the time since {@code Last-Modified} taken as heuristic freshness (RFC 9111 4.2.2). */
  private static final int HEURISTIC_DIVISOR = 10;

  /** Whether {@code status} may be stored without explicit freshness (RFC 9110 15.1). */
  public static boolean heuristicallyCacheable(int status) {
    return HEURISTICALLY_CACHEABLE.contains(status);
  }

  /**
   * Whether an origin's answer is an error that a stale copy may stand in for (RFC 9111 4.2.4 and
   * RFC 5861): a 5xx other than 501 Not Implemented, which is a statement about the resource
   * (heuristically cacheable) rather than a failure of the origin.
   */
  public static boolean originError(int status) {
    return status >= 500 && status != 501;
  }

  /**
   * Why a response to a GET must not be stored, or empty when it may be (RFC 9111 section 3), with
   * the directives of the default target list ({@link TargetedCacheControl#DEFAULT}).
   *
   * @see #whyNotStorable(HttpHeaders, int, HttpHeaders, ResponseDirectives)
   */
  public static Optional<NoStoreReason> whyNotStorable(HttpHeaders requestHeaders, int status,
      HttpHeaders responseHeaders) {
    return whyNotStorable(requestHeaders, status, responseHeaders,
        TargetedCacheControl.DEFAULT.select(responseHeaders));
  }

  /**
   * Why a response to a GET must not be stored, or empty when it may be (RFC 9111 section 3). A
   * stored response need not be fresh: one with {@code no-cache}, or stale on arrival, is stored
   * and revalidated before use, and can stand in when the origin is unreachable.
   *
   * @param requestHeaders the client's request headers
   * @param status the origin's status (a 206 already read as the 200 it is part of)
   * @param responseHeaders the origin's response headers
   * @param directives the response's directives for this cache: a targeted field's, else
   *     {@code Cache-Control}'s (RFC 9213; {@link TargetedCacheControl#select})
   */
  public static Optional<NoStoreReason> whyNotStorable(HttpHeaders requestHeaders, int status,
      HttpHeaders responseHeaders, ResponseDirectives directives) {
    CacheControl request = CacheControl.of(requestHeaders);
    CacheControl response = directives.control();
    boolean explicit = response.maxAge() >= 0 || response.sMaxAge() >= 0 || response.invalidLifetime()
        || (directives.expiresApplies() && responseHeaders.contains(HttpHeaderNames.EXPIRES));
    // A final status this cache understands, and one that may be stored: heuristically cacheable,
    // or made storable by explicit freshness or public (RFC 9111 3). 206 and 304 are never stored as
    // such: a 206 is read as part of its 200, a 304 refreshes the stored response.
    if (status < 200 || status == 206 || status == 304
        || !(heuristicallyCacheable(status) || explicit || response.isPublic())) {
      return Optional.of(NoStoreReason.STATUS);
    }
    if (request.noStore() || response.noStore()) {
      return Optional.of(NoStoreReason.NO_STORE);
    }
    if (response.isPrivate()) {
      return Optional.of(NoStoreReason.PRIVATE);
    }
    if (Variants.names(responseHeaders).contains("*")) {
      return Optional.of(NoStoreReason.VARY); // varies on more than the request: never reusable (RFC 9111 4.1)
    }
    if (requestHeaders.contains(HttpHeaderNames.AUTHORIZATION) && !sharesAuthorized(directives)) {
      return Optional.of(NoStoreReason.AUTHORIZATION);
    }
    if (responseHeaders.contains(HttpHeaderNames.SET_COOKIE)) {
      return Optional.of(NoStoreReason.SET_COOKIE);
    }
    return Optional.empty();
  }

  /**
   * Whether a response to a request with {@code Authorization} may be stored and shared (RFC 9111
   * 3.5): exactly when it has {@code public}, {@code s-maxage} or {@code must-revalidate}
   * ({@code proxy-revalidate} alone does not). Once stored it serves any request, with or without
   * credentials, under that directive's rules: one with {@code must-revalidate} or
   * {@code s-maxage} is never served stale ({@link #staleAllowed}).
   */
  public static boolean sharesAuthorized(ResponseDirectives directives) {
    return directives.has("public") || directives.has("s-maxage") || directives.has("must-revalidate");
  }

  /**
   * The freshness lifetime in seconds (RFC 9111 4.2.1): the explicit one
   * ({@link #explicitLifetime}) when given, else the heuristic one ({@link #heuristicLifetime}),
   * with the directives of the default target list ({@link TargetedCacheControl#DEFAULT}).
   *
   * @param status the stored status
   * @param responseHeaders the response's headers
   * @param responseTimeMillis when the response was received, standing in for a missing {@code Date}
   * @param heuristicMaxSeconds the cap of heuristic freshness; 0 turns it off
   */
  public static long freshnessLifetime(int status, HttpHeaders responseHeaders, long responseTimeMillis,
      long heuristicMaxSeconds) {
    return freshnessLifetime(status, responseHeaders, TargetedCacheControl.DEFAULT.select(responseHeaders),
        responseTimeMillis, heuristicMaxSeconds);
  }

  /**
   * The freshness lifetime in seconds (RFC 9111 4.2.1): the explicit one
   * ({@link #explicitLifetime}) when given, else the heuristic one ({@link #heuristicLifetime}).
   *
   * @param status the stored status
   * @param responseHeaders the response's headers
   * @param directives the response's directives for this cache ({@link TargetedCacheControl#select})
   * @param responseTimeMillis when the response was received, standing in for a missing {@code Date}
   * @param heuristicMaxSeconds the cap of heuristic freshness; 0 turns it off
   */
  public static long freshnessLifetime(int status, HttpHeaders responseHeaders, ResponseDirectives directives,
      long responseTimeMillis, long heuristicMaxSeconds) {
    long explicit = explicitLifetime(responseHeaders, directives, responseTimeMillis);
    return explicit >= 0 ? explicit
        : heuristicLifetime(status, responseHeaders, responseTimeMillis, heuristicMaxSeconds);
  }

  /**
   * The explicit freshness lifetime in seconds with the directives of the default target list
   * ({@link TargetedCacheControl#DEFAULT}).
   *
   * @see #explicitLifetime(HttpHeaders, ResponseDirectives, long)
   */
  public static long explicitLifetime(HttpHeaders responseHeaders, long responseTimeMillis) {
    return explicitLifetime(responseHeaders, TargetedCacheControl.DEFAULT.select(responseHeaders), responseTimeMillis);
  }

  /**
   * The explicit freshness lifetime in seconds (RFC 9111 4.2.1): {@code s-maxage}, else
   * {@code max-age}, else {@code Expires} minus {@code Date}; -1 when none is given. A directive
   * given twice counts once, the first (4.2.1). An invalid {@code s-maxage}, an invalid
   * {@code max-age} without {@code s-maxage} (5.2), or an invalid {@code Expires} (not an
   * HTTP-date, or on several field lines, 5.3) gives 0: such a response is stale. A missing or
   * invalid {@code Date} is replaced by the time the response was received (RFC 9110 6.6.1). When
   * the directives come from a targeted field, {@code Expires} is ignored (RFC 9213 2.1).
   *
   * @param directives the response's directives for this cache ({@link TargetedCacheControl#select})
   * @param responseTimeMillis when the response was received
   */
  public static long explicitLifetime(HttpHeaders responseHeaders, ResponseDirectives directives,
      long responseTimeMillis) {
    CacheControl cc = directives.control();
    if (cc.sMaxAge() >= 0) {
      return cc.sMaxAge();
    }
    if (cc.invalidLifetime()) {
      return 0;
    }
    if (cc.maxAge() >= 0) {
      return cc.maxAge();
    }
    if (!directives.expiresApplies() || !responseHeaders.contains(HttpHeaderNames.EXPIRES)) {
      return -1;
    }
    long expiresMillis = HttpDates.field(responseHeaders, HttpHeaderNames.EXPIRES);
    if (expiresMillis == HttpDates.INVALID) {
      return 0; // an invalid Expires means "already expired" (RFC 9111 5.3)
    }
    long dateMillis = originDate(responseHeaders, responseTimeMillis);
    return Math.max(0, (expiresMillis - dateMillis) / 1000);
  }

  /**
   * The origin's {@code Date} in epoch milliseconds, or {@code responseTimeMillis} when it is
   * missing, invalid or on several field lines: a recipient replaces it by the time it received
   * the response (RFC 9110 6.6.1).
   */
  public static long originDate(HttpHeaders responseHeaders, long responseTimeMillis) {
    long date = HttpDates.field(responseHeaders, HttpHeaderNames.DATE);
    return date == HttpDates.INVALID ? responseTimeMillis : date;
  }

  /**
   * Heuristic freshness in seconds (RFC 9111 4.2.2): a tenth of the time between
   * {@code Last-Modified} and {@code Date}, capped, for heuristically cacheable statuses only; 0
   * without a valid {@code Last-Modified}.
   */
  public static long heuristicLifetime(int status, HttpHeaders responseHeaders, long responseTimeMillis,
      long heuristicMaxSeconds) {
    if (!heuristicallyCacheable(status) || heuristicMaxSeconds <= 0) {
      return 0;
    }
    long lastModified = HttpDates.field(responseHeaders, HttpHeaderNames.LAST_MODIFIED);
    if (lastModified == HttpDates.INVALID) {
      return 0;
    }
    long date = originDate(responseHeaders, responseTimeMillis);
    return Math.min(heuristicMaxSeconds, Math.max(0, date - lastModified) / 1000 / HEURISTIC_DIVISOR);
  }

  /**
   * Whether a stored response may ever be served stale (RFC 9111 4.2.4): not when it says
   * {@code no-cache}, {@code must-revalidate}, {@code proxy-revalidate} or {@code s-maxage}
   * (which implies {@code proxy-revalidate} for a shared cache, 5.2.2.10).
   */
  public static boolean staleAllowed(CacheControl response) {
    return !(response.noCache() || response.mustRevalidate() || response.sMaxAge() >= 0);
  }

  /**
   * Whether a stale stored response may stand in for an origin that is unreachable or answers an
   * error: within the origin's {@code stale-if-error} (RFC 5861), or within the operator's
   * offline window (a disconnected cache may serve stale, RFC 9111 4.2.4), whichever is longer.
   *
   * @param maxStaleOnErrorSeconds the offline window ({@code cache.max-stale-on-error})
   * @param offlineOverride whether the operator opted the path in, over {@link #staleAllowed}
   */
  public static boolean mayServeStaleOnError(StoredObject object, long nowMillis, long maxStaleOnErrorSeconds,
      boolean offlineOverride) {
    if (!offlineOverride && !staleAllowed(object.control())) {
      return false;
    }
    long staleness = -object.ttl(nowMillis);
    return staleness <= Math.max(maxStaleOnErrorSeconds, object.control().staleIfError());
  }

  /**
   * Whether a stale stored response may be served at once while it is revalidated in the
   * background: within its {@code stale-while-revalidate} (RFC 5861 3).
   */
  public static boolean mayServeWhileRevalidating(StoredObject object, long nowMillis) {
    CacheControl control = object.control();
    return staleAllowed(control) && control.staleWhileRevalidate() >= 0
        && -object.ttl(nowMillis) <= control.staleWhileRevalidate();
  }

  /**
   * The age in seconds of a stored response now (RFC 9111 4.2.3).
   *
   * @param ageHeaderSeconds the origin's {@code Age}, or 0
   * @param dateMillis the origin's {@code Date}, or the response time when absent or invalid
   * @param requestTimeMillis when the request that produced the response was sent
   * @param responseTimeMillis when the response was received
   * @param nowMillis now
   */
  public static long currentAge(long ageHeaderSeconds, long dateMillis, long requestTimeMillis,
      long responseTimeMillis, long nowMillis) {
    long apparentAge = Math.max(0, responseTimeMillis - dateMillis) / 1000;
    long responseDelay = Math.max(0, responseTimeMillis - requestTimeMillis) / 1000;
    long correctedAgeValue = ageHeaderSeconds + responseDelay;
    long correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
    long residentTime = Math.max(0, nowMillis - responseTimeMillis) / 1000;
    return correctedInitialAge + residentTime;
  }

  /**
   * The origin's {@code Age} in seconds (RFC 9111 5.1); 0 when absent or invalid. Of a list (one
   * field line {@code 7200, 0} or several lines) the first member counts and the others are
   * discarded; a first member that is not delta-seconds (digits only) makes the field ignored, as
   * 5.1 says a cache SHOULD. A value past 2^31 is taken as 2^31 (1.2.2).
   */
  public static long ageHeader(HttpHeaders responseHeaders) {
    for (String line : responseHeaders.getAll(HttpHeaderNames.AGE)) {
      for (String member : line.split(",", -1)) {
        String trimmed = member.strip();
        if (!trimmed.isEmpty()) { // empty list elements are skipped (RFC 9110 5.6.1)
          return Math.max(0, CacheControl.deltaSeconds(trimmed));
        }
      }
    }
    return 0;
  }

  /**
   * Parses an HTTP-date strictly ({@link HttpDates}) into epoch milliseconds, or returns
   * {@code fallback}.
   */
  public static long dateMillis(String httpDate, long fallback) {
    long millis = HttpDates.parse(httpDate);
    return millis == HttpDates.INVALID ? fallback : millis;
  }
}
