package fr.acclermont.gateway.metrics;

import java.util.Locale;

/** How the cache took part in answering one request: the closed set of the {@code cache} tag. */
public enum CacheOutcome {
  /** Served from a fresh stored response. */
  HIT,
  /** Not stored (or not usable): fetched from the origin. */
  MISS,
  /**
   * Answered by a fetch made for another client, which this one joined while it was in flight
   * ({@code Cache-Status: ...; collapsed}): the object's head from another client's probe (a miss,
   * a revalidation, a reload), or that probe's error answer. No origin request of its own.
   */
  COLLAPSED,
  /** A stored response was found but stale, and the origin was asked again. */
  STALE,
  /** A stale stored response was confirmed by the origin (304) and served. */
  REVALIDATED,
  /** The request was not eligible for the cache (method, range, credentials): passed through. */
  BYPASS;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The lowercase value used in metric tags and logs. */
  public String tag() {
    return tag;
  }
}
