package fr.acclermont.gateway.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Date;
import java.util.Optional;

/**
 * What may be stored and for how long (RFC 9111), as pure functions over headers and clock values:
 * no I/O, no state. Times are epoch milliseconds; lifetimes and ages are seconds, as on the wire.
 */
public final class CachePolicy {

  private CachePolicy() {
  }

  /**
   * Whether a request may be answered from, or fill, the cache at all: GET and HEAD (with or
   * without {@code Range}: ranges are cut from slices); other methods pass through; {@code no-store}
   * requests bypass.
   */
  public static boolean requestCacheable(HttpMethod method, HttpHeaders requestHeaders) {
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      return false;
    }
    return !CacheControl.parse(requestHeaders.getAll(HttpHeaderNames.CACHE_CONTROL)).noStore();
  }

  /**
   * Whether a request asks not to be served from storage without the origin's say
   * ({@code Cache-Control: no-cache}, {@code max-age=0}, or {@code Pragma: no-cache}, RFC 9111 5.4).
   */
  public static boolean requestForbidsStoredResponse(HttpHeaders requestHeaders) {
    CacheControl cc = CacheControl.parse(requestHeaders.getAll(HttpHeaderNames.CACHE_CONTROL));
    if (cc.noCache() || cc.maxAge() == 0) {
      return true;
    }
    return !requestHeaders.contains(HttpHeaderNames.CACHE_CONTROL)
        && requestHeaders.containsValue(HttpHeaderNames.PRAGMA, "no-cache", true);
  }

  /**
   * Why a response to a GET must not be stored, or empty when it may be (RFC 9111 section 3).
   *
   * @param requestHeaders the client's request headers
   * @param status the origin's status
   * @param responseHeaders the origin's response headers
   */
  public static Optional<NoStoreReason> whyNotStorable(HttpHeaders requestHeaders, int status,
      HttpHeaders responseHeaders) {
    if (status != 200) {
      return Optional.of(NoStoreReason.STATUS);
    }
    CacheControl request = CacheControl.parse(requestHeaders.getAll(HttpHeaderNames.CACHE_CONTROL));
    CacheControl response = CacheControl.parse(responseHeaders.getAll(HttpHeaderNames.CACHE_CONTROL));
    if (request.noStore() || response.noStore()) {
      return Optional.of(NoStoreReason.NO_STORE);
    }
    if (response.isPrivate()) {
      return Optional.of(NoStoreReason.PRIVATE);
    }
    if (responseHeaders.contains(HttpHeaderNames.VARY)) {
      return Optional.of(NoStoreReason.VARY);
    }
    if (requestHeaders.contains(HttpHeaderNames.AUTHORIZATION)
        && !(response.isPublic() || response.sMaxAge() >= 0 || response.mustRevalidate())) {
      return Optional.of(NoStoreReason.AUTHORIZATION);
    }
    if (responseHeaders.contains(HttpHeaderNames.SET_COOKIE)) {
      return Optional.of(NoStoreReason.SET_COOKIE);
    }
    // Revalidation of stale entries arrives with the HTTP-semantics work; until then a response that
    // is stale on arrival (or must always be revalidated) would never be served from storage.
    if (response.noCache() || freshnessLifetime(responseHeaders) <= 0) {
      return Optional.of(NoStoreReason.NOT_FRESH);
    }
    return Optional.empty();
  }

  /**
   * The freshness lifetime in seconds (RFC 9111 4.2.1): {@code s-maxage}, else {@code max-age},
   * else {@code Expires} minus {@code Date}; 0 when none is given or {@code Expires} is invalid.
   */
  public static long freshnessLifetime(HttpHeaders responseHeaders) {
    CacheControl cc = CacheControl.parse(responseHeaders.getAll(HttpHeaderNames.CACHE_CONTROL));
    if (cc.sMaxAge() >= 0) {
      return cc.sMaxAge();
    }
    if (cc.maxAge() >= 0) {
      return cc.maxAge();
    }
    String expires = responseHeaders.get(HttpHeaderNames.EXPIRES);
    if (expires == null) {
      return 0;
    }
    long expiresMillis = dateMillis(expires, -1);
    long dateMillis = dateMillis(responseHeaders.get(HttpHeaderNames.DATE), -1);
    if (expiresMillis < 0 || dateMillis < 0) {
      return 0; // an invalid Expires means "already expired" (RFC 9111 5.3)
    }
    return Math.max(0, (expiresMillis - dateMillis) / 1000);
  }

  /**
   * The age in seconds of a stored response now (RFC 9111 4.2.3).
   *
   * @param ageHeaderSeconds the origin's {@code Age}, or 0
   * @param dateMillis the origin's {@code Date}, or the response time when absent
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

  /** The origin's {@code Age} header in seconds; 0 when absent or malformed. */
  public static long ageHeader(HttpHeaders responseHeaders) {
    String age = responseHeaders.get(HttpHeaderNames.AGE);
    if (age == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(age.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Parses an HTTP date into epoch milliseconds, or returns {@code fallback}. */
  public static long dateMillis(String httpDate, long fallback) {
    if (httpDate == null) {
      return fallback;
    }
    Date date = DateFormatter.parseHttpDate(httpDate);
    return date == null ? fallback : date.getTime();
  }
}
