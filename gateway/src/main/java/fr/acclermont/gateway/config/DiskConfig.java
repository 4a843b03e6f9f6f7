package fr.acclermont.gateway.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The disk tier: where it keeps slices and object metadata, and its budget. The tier is off
 * ({@link #DISABLED}) unless a directory is configured. Immutable.
 *
 * <p>The loader checks the values' form only: whether the directory exists, is writable and holds
 * a cache of a known format is checked by the disk tier at start-up.
 *
 * @param path the directory where slices and object metadata are stored, surviving restarts;
 *     {@code null} when the disk tier is off. A relative path is taken from the gateway's working
 *     directory
 * @param maxBytes the bytes the disk tier may hold, counting what its files really take on disk,
 *     metadata included; at least 1MiB
 */
public record DiskConfig(@Nullable Path path, long maxBytes) {

  /** The default {@link #maxBytes()}: 50GiB. */
  public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024 * 1024;

  /** The disk tier off: no directory, the default budget. It is the default. */
  public static final DiskConfig DISABLED = new DiskConfig(null, DEFAULT_MAX_BYTES);

  /**
   * Returns whether the disk tier is on, that is whether a directory is configured.
   *
   * @return {@code true} if {@link #path()} is not {@code null}
   */
  public boolean enabled() {
    return path != null;
  }
}
