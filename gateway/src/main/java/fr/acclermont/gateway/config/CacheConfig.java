package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * The cache: its name, its budgets and how it fetches slices. Immutable.
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
 */
public record CacheConfig(String name, MemoryConfig memory, DiskConfig disk, long sliceSize,
    int readAheadSlices, boolean finishUnwatchedFetches) {

  /**
   * Creates a cache configuration. Parameters are checked for null only: ranges are checked by
   * {@link ConfigLoader}.
   *
   * @param name the cache name written in {@code Cache-Status}; an HTTP token
   * @param memory the memory tier
   * @param disk the disk tier, behind the memory tier; {@link DiskConfig#DISABLED} when off
 * @param disk the disk tier, behind the memory tier; {@link DiskConfig#DISABLED} when off
   * @param sliceSize the size in bytes of a slice, the unit of fetching, coalescing, storage and
   *     eviction; 64KiB..64MiB
   * @param readAheadSlices how many slices ahead of a client reading sequentially are fetched
   *     before it reaches them, 0..16; 0 fetches only the slices clients ask for
   * @param finishUnwatchedFetches whether a slice fetch that no client waits for any longer still
   *     completes to fill the cache ({@code true}) or is aborted ({@code false})
   */
  public CacheConfig {
    requireNonNull(name, "name");
    requireNonNull(memory, "memory");
    requireNonNull(disk, "disk");
  }

  /**
   * Returns the documented defaults: name {@code edge}, the default memory tier, no disk tier,
   * 1MiB slices, one slice of read-ahead, and unwatched fetches finished.
   *
   * @return the default cache configuration
   */
  public static CacheConfig defaults() {
    return new CacheConfig("edge", MemoryConfig.defaults(), DiskConfig.DISABLED, 1024 * 1024, 1,
        true);
  }
}
