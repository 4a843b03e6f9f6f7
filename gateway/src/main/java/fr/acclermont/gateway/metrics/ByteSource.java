package fr.acclermont.gateway.metrics;

import java.util.Locale;

/**
 * Where bytes were when they were sent to a client: the {@code source} tag of served bytes. Each
 * byte that crosses the uplink for a client is counted {@link #ORIGIN} once, for that client; every
 * other client that receives it counts it {@link #COLLAPSED}, {@link #MEMORY} or {@link #DISK}. So
 * {@code source="origin"} matches {@code gateway_origin_bytes_total}, but for bytes fetched that no
 * client read (read-ahead of a client that left, background fills), and everything else is what
 * the uplink saved.
 */
public enum ByteSource {
  /** Present in the memory tier when the client reached them (a stale copy served from memory too). */
  MEMORY,
  /** From the disk tier: sent from a slice file, or read from it into memory for this client. */
  DISK,
  /**
   * Fetched from the origin for this client: its pass-through, the probe it led, the slice runs it
   * fetched (read-ahead included), an origin error answered to its own probe.
   */
  ORIGIN,
  /**
   * Brought from the origin by a fetch made for another client (or by a background fill), which
   * this client waited for and read as the bytes landed, or the origin's error answer to a probe
   * it was collapsed on: bytes that crossed the uplink once for several clients.
   */
  COLLAPSED;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The lowercase value used in metric tags. */
  public String tag() {
    return tag;
  }
}
