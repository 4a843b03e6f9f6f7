package fr.acclermont.gateway.metrics;

import java.util.Locale;

/** A tier of the cache's storage: the {@code tier} tag of the cache meters (and Caffeine's {@code cache} tag). */
public enum CacheTier {
  /** The memory tier. */
  MEMORY,
  /** The disk tier. */
  DISK;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The lowercase value used in metric tags. */
  public String tag() {
    return tag;
  }
}
