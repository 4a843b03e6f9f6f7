package fr.acclermont.gateway.config;

/**
 * The memory tier's budget. Immutable.
 *
 * @param maxBytes the bytes the memory tier may hold, {@code > 0}
 * @param maxObjectBytes the largest object the memory tier admits from an origin that ignores
 *     Range requests, which must be fetched whole; {@code > 0} and {@code <= maxBytes}. Objects
 *     from origins that answer ranges are cached at any size, slice by slice, within
 *     {@code maxBytes}
 */
public record MemoryConfig(long maxBytes, long maxObjectBytes) {

  /**
   * Returns the documented defaults: 512MiB in total, objects fetched whole up to 64MiB.
   *
   * @return the default memory configuration
   */
  public static MemoryConfig defaults() {
    return new MemoryConfig(512L * 1024 * 1024, 64L * 1024 * 1024);
  }
}
