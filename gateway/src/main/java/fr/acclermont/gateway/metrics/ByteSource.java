package fr.acclermont.gateway.metrics;

import java.util.Locale;

/** Where bytes were when they were sent to a client: the {@code source} tag of served bytes. */
public enum ByteSource {
  /** From the memory tier. */
  MEMORY,
  /** From the disk tier. */
  DISK,
  /** Straight from an origin response as it streamed through. */
  ORIGIN;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The lowercase value used in metric tags. */
  public String tag() {
    return tag;
  }
}
