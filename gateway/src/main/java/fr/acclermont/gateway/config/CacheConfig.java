package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The cache: its name, its budgets, how it fetches slices and how long it serves what it stores.
 * Immutable.
 *
 * @param name the cache name written in {@code Cache-Status}; an HTTP token
 * @param memory the memory tier
 * @param disk the disk tier, behind the memory tier; {@link DiskConfig#DISABLED} when off
 * @param sliceSize the size in bytes of a slice, the unit of fetching, coalescing, storage and
 *     eviction; 64KiB..64MiB
 * @param readAheadSlices how many slices ahead of a client reading sequentially are fetched
 *     before it reaches them, 0..16; 0 fetches only the slices clients ask for
 * @param finishUnwatchedFetches whether a slice fetch that no client waits for any longer still
 *     completes to fill the cache ({@code true}) or is aborted ({@code false})
 * @param heuristicMaxLifetime the cap of heuristic freshness, 0s..365d: a response without an
 *     explicit lifetime is fresh for 10% of the time since its {@code Last-Modified} (RFC 9111
 *     section 4.2.2), at most this; zero turns heuristic freshness off
 * @param maxStaleOnError how long past its freshness a stored response may still be served when
 *     the origin is unreachable or answers 5xx (offline mode), 0s..365d; zero turns it off
 * @param reloadRevalidateInterval how often at most a client reload ({@code Cache-Control:
 *     no-cache} or {@code max-age=0}) revalidates a stored object with the origin, 0s..1h; within
 *     it, the stored copy validated less than this long ago is served. Zero revalidates on every
 *     reload. Either way, the revalidations of one object are coalesced into one origin request
 *     at a time
 * @param maxVariants how many variants of one URL (values of the request fields its {@code Vary}
 *     names) are stored at most, 1..1024; a further variant's answer is passed through unstored,
 *     so that random header values cannot fill the cache with copies of one URL
 * @param minUses how many requests for a URL within 10 minutes before its body is stored,
 *     1..16 (nginx's {@code proxy_cache_min_uses}); 1 stores at the first, 2 keeps one-off URLs
 *     (a flood of them, random query strings) out of both tiers
 * @param targetedCacheControl the name of the targeted cache control field this cache obeys over
 *     {@code Cache-Control} (RFC 9213), before {@code CDN-Cache-Control}; an HTTP token
 * @param overrides the operator's caching overrides by request path prefix,
 *     {@link PathOverrides#NONE} when none; they never make {@code private} or {@code no-store}
 *     content shared
 */
public record CacheConfig(String name, MemoryConfig memory, DiskConfig disk, long sliceSize,
    int readAheadSlices, boolean finishUnwatchedFetches, Duration heuristicMaxLifetime,
    Duration maxStaleOnError, Duration reloadRevalidateInterval, int maxVariants, int minUses,
    String targetedCacheControl, PathOverrides overrides) {

  /** The default of {@code cache.max-variants}. */
  public static final int DEFAULT_MAX_VARIANTS = 32;
  /** The largest {@code cache.min-uses}. */
  public static final int MAX_MIN_USES = 16;
  /** The largest {@code cache.max-variants}. */
  public static final int MAX_VARIANTS = 1024;
  /** The default of {@code cache.targeted-cache-control}. */
  public static final String DEFAULT_TARGETED_CACHE_CONTROL = "Edge-Cache-Control";

  /**
   * Creates a cache configuration. Parameters are checked for null only: ranges are checked by
   * {@link ConfigLoader}.
   *
   * @param name the cache name written in {@code Cache-Status}; an HTTP token
   * @param memory the memory tier
   * @param disk the disk tier, behind the memory tier; {@link DiskConfig#DISABLED} when off
   * @param sliceSize the size in bytes of a slice, the unit of fetching, coalescing, storage and
   *     eviction; 64KiB..64MiB
   * @param readAheadSlices how many slices ahead of a client reading sequentially are fetched
   *     before it reaches them, 0..16; 0 fetches only the slices clients ask for
   * @param finishUnwatchedFetches whether a slice fetch that no client waits for any longer still
   *     completes to fill the cache ({@code true}) or is aborted ({@code false})
   * @param heuristicMaxLifetime the cap of heuristic freshness, 0s..365d: a response without an
   *     explicit lifetime is fresh for 10% of the time since its {@code Last-Modified} (RFC 9111
   *     section 4.2.2), at most this; zero turns heuristic freshness off
   * @param maxStaleOnError how long past its freshness a stored response may still be served when
   *     the origin is unreachable or answers 5xx (offline mode), 0s..365d; zero turns it off
   * @param reloadRevalidateInterval how often at most a client reload ({@code Cache-Control:
   *     no-cache} or {@code max-age=0}) revalidates a stored object with the origin, 0s..1h;
   *     within it, the stored copy validated less than this long ago is served. Zero revalidates
   *     on every reload. Either way, the revalidations of one object are coalesced into one origin
   *     request at a time
   * @param maxVariants how many variants of one URL are stored at most, 1..1024; a further
   *     variant's answer is passed through unstored
   * @param minUses how many requests for a URL within 10 minutes before its body is stored, 1..16
   * @param targetedCacheControl the name of the targeted cache control field obeyed over
   *     {@code Cache-Control} (RFC 9213), before {@code CDN-Cache-Control}; an HTTP token
   * @param overrides the operator's caching overrides by request path prefix,
   *     {@link PathOverrides#NONE} when none; they never make {@code private} or {@code no-store}
   *     content shared
   */
  public CacheConfig {
    requireNonNull(name, "name");
    requireNonNull(memory, "memory");
    requireNonNull(disk, "disk");
    requireNonNull(heuristicMaxLifetime, "heuristicMaxLifetime");
    requireNonNull(maxStaleOnError, "maxStaleOnError");
    requireNonNull(reloadRevalidateInterval, "reloadRevalidateInterval");
    requireNonNull(targetedCacheControl, "targetedCacheControl");
    requireNonNull(overrides, "overrides");
  }

  /**
   * Creates a cache configuration with the default targeted field
   * ({@link #DEFAULT_TARGETED_CACHE_CONTROL}); the other parameters as the canonical constructor's.
   */
  public CacheConfig(String name, MemoryConfig memory, DiskConfig disk, long sliceSize, int readAheadSlices,
      boolean finishUnwatchedFetches, Duration heuristicMaxLifetime, Duration maxStaleOnError,
      Duration reloadRevalidateInterval, int maxVariants, int minUses, PathOverrides overrides) {
    this(name, memory, disk, sliceSize, readAheadSlices, finishUnwatchedFetches, heuristicMaxLifetime,
        maxStaleOnError, reloadRevalidateInterval, maxVariants, minUses, DEFAULT_TARGETED_CACHE_CONTROL, overrides);
  }

  /**
   * Returns the documented defaults: name {@code edge}, the default memory tier, no disk tier,
   * 1MiB slices, one slice of read-ahead, unwatched fetches finished, heuristic freshness capped
   * at 1 day, stale responses served for up to 7 days when the origin fails, reloads revalidated
   * at most every 5 seconds per object, at most 32 variants per URL, bodies stored from a URL's first request,
   * {@code Edge-Cache-Control} then {@code CDN-Cache-Control} obeyed over {@code Cache-Control}, and no overrides.
   *
   * @return the default cache configuration
   */
  public static CacheConfig defaults() {
    return new CacheConfig("edge", MemoryConfig.defaults(), DiskConfig.DISABLED, 1024 * 1024, 1,
        true, Duration.ofDays(1), Duration.ofDays(7), Duration.ofSeconds(5), DEFAULT_MAX_VARIANTS,
        1, DEFAULT_TARGETED_CACHE_CONTROL, PathOverrides.NONE);
  }
}
