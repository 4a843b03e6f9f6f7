package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * The cache: its name and its budgets. Immutable.
 *
 * @param name the cache name written in {@code Cache-Status}; an HTTP token
 * @param memory the memory tier
 * @param sliceSize the size in bytes of a slice, the unit of fetching, coalescing, storage and
 *     eviction; 64KiB..64MiB
 */
public record CacheConfig(String name, MemoryConfig memory, long sliceSize) {

  /**
   * Creates a cache configuration. Parameters are checked for null only: ranges are checked by
   * {@link ConfigLoader}.
   *
   * @param name the cache name written in {@code Cache-Status}; an HTTP token
   * @param memory the memory tier
   * @param sliceSize the size in bytes of a slice, the unit of fetching, coalescing, storage and
   *     eviction; 64KiB..64MiB
   */
  public CacheConfig {
    requireNonNull(name, "name");
    requireNonNull(memory, "memory");
  }

  /**
   * Returns the documented defaults: name {@code edge}, the default memory tier, 1MiB slices.
   *
   * @return the default cache configuration
   */
  public static CacheConfig defaults() {
    return new CacheConfig("edge", MemoryConfig.defaults(), 1024 * 1024);
  }
}
