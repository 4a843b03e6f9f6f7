package fr.acclermont.gateway.cache;

import fr.acclermont.gateway.config.CacheConfig;
import fr.acclermont.gateway.config.PathOverride;
import fr.acclermont.gateway.config.PathOverrides;
import io.netty.handler.codec.http.HttpHeaders;
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
    return stale.withExchange(merged, requestTimeMillis, responseTimeMillis,
        lifetime(stale.key(), stale.status(), merged, responseTimeMillis), directives(merged));
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
}
