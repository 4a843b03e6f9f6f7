package fr.acclermont.gateway.cache;

import fr.acclermont.gateway.config.CacheConfig;
import fr.acclermont.gateway.config.PathOverride;
import fr.acclermont.gateway.config.PathOverrides;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operator's choices that the HTTP caching rules leave open (RFC 9111): the cap of heuristic
 * freshness, how long stale copies stand in for an origin in error (the offline mode), and how
 * often a client's reload reaches the origin, and per-path overrides. Immutable.
 *
 * @param heuristicMaxSeconds the cap of heuristic freshness ({@code cache.heuristic-max-lifetime}); 0: none
 * @param maxStaleOnErrorSeconds how long past its freshness a stored response may stand in for an
 *     origin that is unreachable or in error ({@code cache.max-stale-on-error}); 0: never
 * @param reloadIntervalMillis a reload revalidates an object validated longer ago than this
 *     ({@code cache.reload-revalidate-interval}); 0: every reload revalidates
 * @param overrides the operator's per-path overrides ({@code cache.overrides})
 * @param targets the targeted cache control fields obeyed over {@code Cache-Control}
 *     ({@code cache.targeted-cache-control}, then {@code CDN-Cache-Control}; RFC 9213)
 */
public record CacheRules(long heuristicMaxSeconds, long maxStaleOnErrorSeconds, long reloadIntervalMillis,
    PathOverrides overrides, TargetedCacheControl targets) {

  /** The documented defaults: heuristic freshness up to a day, 7 days offline, reloads once per 5 s. */
  public static final CacheRules DEFAULTS = of(CacheConfig.defaults());

  /** Rules with the default target list ({@link TargetedCacheControl#DEFAULT}). */
  public CacheRules(long heuristicMaxSeconds, long maxStaleOnErrorSeconds, long reloadIntervalMillis,
      PathOverrides overrides) {
    this(heuristicMaxSeconds, maxStaleOnErrorSeconds, reloadIntervalMillis, overrides, TargetedCacheControl.DEFAULT);
  }

  /** The rules a cache configuration sets. */
  public static CacheRules of(CacheConfig config) {
    return new CacheRules(config.heuristicMaxLifetime().toSeconds(), config.maxStaleOnError().toSeconds(),
        config.reloadRevalidateInterval().toMillis(), config.overrides(),
        TargetedCacheControl.of(config.targetedCacheControl()));
  }

  /**
   * The directives this cache follows for a response (RFC 9213 2.1): the first targeted field of
   * {@link #targets} present and valid, else {@code Cache-Control} (and {@code Expires}).
   */
  public ResponseDirectives directives(HttpHeaders responseHeaders) {
    return targets.select(responseHeaders);
  }

  /** Why a response may not be stored, with {@link #directives} ({@link CachePolicy#whyNotStorable}). */
  public Optional<NoStoreReason> whyNotStorable(HttpHeaders requestHeaders, int status, HttpHeaders responseHeaders) {
    return CachePolicy.whyNotStorable(requestHeaders, status, responseHeaders, directives(responseHeaders));
  }

  /**
   * The freshness lifetime in seconds of a response stored under {@code key}: the origin's
   * (RFC 9111 4.2.1, heuristic 4.2.2), unless an override of the key's path replaces it.
   */
  public long lifetime(CacheKey key, int status, HttpHeaders headers, long responseTimeMillis) {
    PathOverride override = override(key);
    if (override != null && override.freshFor() != null) {
      return override.freshFor().toSeconds();
    }
    return CachePolicy.freshnessLifetime(status, headers, directives(headers), responseTimeMillis,
        heuristicMaxSeconds);
  }

  /**
   * {@code stale} as a 304 with {@code notModified}'s end-to-end fields refreshed it (RFC 9111
   * 4.3.4): same version and slices, the merged fields, the new exchange's clocks and the lifetime
   * those fields give.
   */
  public StoredObject refreshed(StoredObject stale, HttpHeaders notModified, long requestTimeMillis,
      long responseTimeMillis) {
    HttpHeaders merged = stale.mergedHeaders(notModified);
    if (!notModified.contains(HttpHeaderNames.DATE)) {
      // RFC 9110 6.6.1: a response without Date is dated when received. Keeping the stored Date
      // would age the refreshed copy from the first exchange, stale again at once.
      merged.set(HttpHeaderNames.DATE, DateFormatter.format(new Date(responseTimeMillis)));
    }
    Variants.varyOnCoding(merged); // a 304's Vary must not drop the Accept-Encoding the coded body needs
    return stale.withExchange(merged, requestTimeMillis, responseTimeMillis,
        lifetime(stale.key(), stale.status(), merged, responseTimeMillis), directives(merged));
  }

  /**
   * {@code stored} after a 200 to a HEAD of its URL came back from the origin (RFC 9111 4.3.5):
   * refreshed with the HEAD's fields as a 304 would ({@link #refreshed}) when they describe the same
   * representation (every validator the HEAD carries, {@code ETag} and {@code Last-Modified},
   * equal to the stored one, its {@code Content-Length}, if any, equal to the stored length, and
   * the stored response a 200) and may be stored; otherwise {@link StoredObject#expired}: stale,
   * revalidated at its next request.
   *
   * @param requestHeaders the HEAD request's fields, for {@link CachePolicy#whyNotStorable}
   * @param head the HEAD response's end-to-end fields
   */
  public StoredObject afterHead(StoredObject stored, HttpHeaders requestHeaders, HttpHeaders head,
      long requestTimeMillis, long responseTimeMillis) {
    boolean same = stored.status() == 200
        && matches(head.get(HttpHeaderNames.ETAG), stored.etag())
        && matches(head.get(HttpHeaderNames.LAST_MODIFIED), stored.lastModified())
        && matches(head.get(HttpHeaderNames.CONTENT_LENGTH), Long.toString(stored.length()));
    if (!same || CachePolicy.whyNotStorable(requestHeaders, 200, head).isPresent()) {
      return stored.expired();
    }
    return refreshed(stored, head, requestTimeMillis, responseTimeMillis);
  }

  /** Whether a field the HEAD carries (null: not received) equals the stored one. */
  private static boolean matches(@Nullable String received, @Nullable String stored) {
    return received == null || received.trim().equals(stored == null ? null : stored.trim());
  }

  /**
   * Whether a stale copy of {@code object} may stand in for its origin in error now: within
   * {@code stale-if-error} or the offline window, and only where the response allows serving stale
   * unless the operator opted its path in ({@code offline: true}).
   */
  public boolean mayServeStaleOnError(StoredObject object, long nowMillis) {
    PathOverride override = override(object.key());
    return CachePolicy.mayServeStaleOnError(object, nowMillis, maxStaleOnErrorSeconds,
        override != null && override.offline());
  }

  private @Nullable PathOverride override(CacheKey key) {
    if (overrides.list().isEmpty()) {
      return null;
    }
    String target = key.pathAndQuery();
    int query = target.indexOf('?');
    return overrides.find(query < 0 ? target : target.substring(0, query));
  }

  /** Whether a client's reload may be answered with {@code object} without asking the origin again. */
  public boolean recentlyValidated(StoredObject object, long nowMillis) {
    return nowMillis - object.responseTimeMillis() < reloadIntervalMillis;
  }

  /** How a stored response may answer a request, by {@link #fit}. */
  public enum Fit {
    /** Fresh, and fresh enough for the request: served from the store. */
    FRESH,
    /** Stale, but within the request's {@code max-stale}: served from the store without asking the origin. */
    STALE,
    /** Not without the origin: revalidated or fetched (or, for {@code only-if-cached}, 504). */
    NONE
  }

  /**
   * Whether {@code stored} satisfies a request's directives now (RFC 9111 5.2.1): the one place the
   * request's side of the choice is made.
   *
   * <ul>
   *   <li>A fresh copy answers a request without directives.
   *   <li>{@code max-age=N} (N &gt; 0) asks for a copy no older than N seconds, {@code min-fresh=N}
   *       for one still fresh N seconds from now.
   *   <li>{@code no-cache} and {@code max-age=0} (a browser's reload) ask for validation.
   *   <li>The deliberate deviation for a class pressing reload: a fresh copy validated with the
   *       origin less than {@code cache.reload-revalidate-interval} ago meets all three, as asking
   *       the origin again would bring the same copy back; a class of 35 costs one revalidation per
   *       interval, not 35. An interval of 0 follows the RFC to the letter.
   *   <li>{@code max-stale} (any staleness without a value, else up to N seconds) accepts a stale
   *       copy, within the request's {@code max-age}, never with {@code no-cache} or
   *       {@code min-fresh}, and never a response that forbids serving it stale
   *       ({@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage}, {@code no-cache}:
   *       5.2.2.2, 5.2.2.8, 5.2.2.10, 5.2.2.4).
   * </ul>
   *
   * <p>{@code only-if-cached} and {@code no-store} do not change the fit: they change what happens
   * when nothing fits (504, or a pass-through that stores nothing).
   */
  public Fit fit(StoredObject stored, RequestDirectives request, long nowMillis) {
    if (request == RequestDirectives.NONE) { // the common request: no more work than before
      return stored.isFresh(nowMillis) ? Fit.FRESH : Fit.NONE;
    }
    long age = stored.age(nowMillis);
    long ttl = stored.freshnessLifetimeSeconds() - age;
    if (!stored.control().noCache() && ttl > 0) { // fresh by its own lifetime (StoredObject.isFresh)
      boolean recent = recentlyValidated(stored, nowMillis);
      boolean validated = !request.reload() || recent;
      boolean young = request.maxAge() <= 0 || age <= request.maxAge() || recent;
      boolean lasting = request.minFresh() < 0 || ttl >= request.minFresh() || recent;
      return validated && young && lasting ? Fit.FRESH : Fit.NONE;
    }
    boolean staleAccepted = request.maxStale() >= 0 && -ttl <= request.maxStale()
        && !request.noCache() && request.minFresh() < 0 && (request.maxAge() < 0 || age <= request.maxAge())
        && CachePolicy.staleAllowed(stored.control());
    return staleAccepted ? Fit.STALE : Fit.NONE;
  }
}
