package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * How one request went. Times are {@link System#nanoTime()} readings.
 *
 * @param spec what was asked
 * @param intendedStartNanos when the request was meant to start: the moment it was queued, which
 *     latencies are measured from
 * @param sentNanos when it was written to a connection, or 0 if it never was
 * @param firstByteNanos when the response head arrived, or 0 if it never did
 * @param endNanos when the request ended, successfully or not
 * @param bodyBytes how many body bytes arrived (also for a failed request)
 * @param status the response status, or 0 if none arrived
 * @param error why it failed, or {@code null} if it succeeded
 * @param detail a human-readable explanation of the error, or an empty string
 */
public record RequestResult(
    RequestSpec spec,
    long intendedStartNanos,
    long sentNanos,
    long firstByteNanos,
    long endNanos,
    long bodyBytes,
    int status,
    @Nullable ErrorKind error,
    String detail) {

  /** Validates the components. */
  public RequestResult {
    requireNonNull(spec, "spec");
    requireNonNull(detail, "detail");
  }

  /** Returns whether the request succeeded. */
  public boolean ok() {
    return error == null;
  }

  /** Returns the time from the intended start to the response head, or -1 if none arrived. */
  public long timeToFirstByteNanos() {
    return firstByteNanos == 0 ? -1 : firstByteNanos - intendedStartNanos;
  }

  /** Returns the time from the intended start to the end of the request. */
  public long timeToCompleteNanos() {
    return endNanos - intendedStartNanos;
  }

  @Override
  public String toString() {
    return spec.kind().label() + " " + spec.target() + (spec.range() == null ? "" : " " + spec.range().header())
        + ": " + (error == null ? "ok" : error.label() + " (" + detail + ")") + ", status " + status
        + ", " + bodyBytes + " bytes, " + timeToCompleteNanos() / 1000 + " us";
  }
}
