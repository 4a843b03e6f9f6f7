package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

/**
 * One fixed-size slice of one version of a stored object. The version keeps slices of an object
 * that changed at the origin from ever mixing with the new ones.
 *
 * @param object the object's key
 * @param version the stored version the slice belongs to
 * @param index the slice's position: bytes {@code [index * sliceSize, (index + 1) * sliceSize)}
 */
public record SliceKey(CacheKey object, long version, int index) {

  /** Validates the components. */
  public SliceKey {
    requireNonNull(object, "object");
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
  }
}
