package fr.acclermont.gateway.origin;

/**
 * Whom a fetch from the origin is for, which decides its place in the origin's
 * {@link FetchLimiter} and whether it may stop early: a reader waiting for the bytes, a reader
 * that will reach them soon, or nobody.
 */
public enum FetchKind {
  /**
   * A reader waits for these bytes: a demand place; the fetch may stop when nobody watches its
   * slice any longer (unless {@code cache.finish-unwatched}; a probe always runs to its end).
   */
  DEMAND(true, true),
  /** A reader will reach these bytes soon (read-ahead): a demand place, and the fetch runs to its end. */
  READ_AHEAD(true, false),
  /**
   * Nobody waits (the fill of the rest of a slice, a prefetch's probe or run): a background place,
   * taken only when no demand fetch runs or waits, and the fetch runs to its end.
   */
  BACKGROUND(false, false);

  private final boolean demand;
  private final boolean stopsUnwatched;

  FetchKind(boolean demand, boolean stopsUnwatched) {
    this.demand = demand;
    this.stopsUnwatched = stopsUnwatched;
  }

  /** Whether it takes a demand place in the limiter (else a background one). */
  boolean demand() {
    return demand;
  }

  /** Whether a range fetch of this kind may stop once nobody watches its slice. */
  boolean stopsUnwatched() {
    return stopsUnwatched;
  }
}
