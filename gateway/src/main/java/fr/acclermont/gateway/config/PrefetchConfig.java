package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * Prefetching ({@code prefetch}): books fetched into the cache ahead of the classes, in windows of
 * quiet hours, at a capped rate, after live demand. Off unless {@code lists} names a list. Immutable.
 *
 * @param lists the lists of what to prefetch, in order: file paths (re-read when their modification
 *     time changes) or {@code http://}/{@code https://} URLs on a configured origin (fetched again at
 *     each run's start and every {@code listRefresh}); empty: prefetching is off
 * @param windows when runs start on their own, in {@code timeZone}; empty: only on demand
 *     ({@code POST /prefetch} on the management port)
 * @param maxRate the most body bytes per second prefetch fetches take from origins, averaged;
 *     0 for no cap
 * @param timeZone the zone the windows are read in
 * @param acceptEncoding the {@code Accept-Encoding} prefetch requests send, so that the variant
 *     stored is the one the tablets ask for
 * @param listRefresh how often a list given by URL is fetched again during a run
 */
public record PrefetchConfig(List<String> lists, List<PrefetchWindow> windows, long maxRate, ZoneId timeZone,
    String acceptEncoding, Duration listRefresh) {

  /** The default {@link #maxRate()}: 20mbit, a fifth of a school's 100 Mbit/s uplink. */
  public static final long DEFAULT_MAX_RATE = 20_000_000 / 8;
  /** The default {@link #acceptEncoding()}: what Safari (iPad) and Chrome before version 123 send. */
  public static final String DEFAULT_ACCEPT_ENCODING = "gzip, deflate, br";
  /** The default {@link #listRefresh()}. */
  public static final Duration DEFAULT_LIST_REFRESH = Duration.ofHours(1);

  /** Validates the components and freezes the lists. */
  public PrefetchConfig {
    lists = List.copyOf(requireNonNull(lists, "lists"));
    windows = List.copyOf(requireNonNull(windows, "windows"));
    requireNonNull(timeZone, "timeZone");
    requireNonNull(acceptEncoding, "acceptEncoding");
    requireNonNull(listRefresh, "listRefresh");
    if (maxRate < 0) {
      throw new IllegalArgumentException("maxRate: " + maxRate + " (expected: >= 0)");
    }
  }

  /**
   * The documented defaults: no list (off), no window, 20mbit, the system's time zone,
   * {@value #DEFAULT_ACCEPT_ENCODING}, lists by URL fetched again every hour.
   */
  public static PrefetchConfig defaults() {
    return new PrefetchConfig(List.of(), List.of(), DEFAULT_MAX_RATE, ZoneId.systemDefault(),
        DEFAULT_ACCEPT_ENCODING, DEFAULT_LIST_REFRESH);
  }

  /** Whether prefetching is on: some list is configured. */
  public boolean enabled() {
    return !lists.isEmpty();
  }
}
