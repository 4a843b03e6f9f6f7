package fr.acclermont.loadtest.report;

import fr.acclermont.loadtest.client.RequestKind;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one kind of request in a round. Latencies (microseconds) are those of the
 * successful requests, measured from their intended start; failed requests are counted in
 * {@link #failed()} and by error kind in the round.
 *
 * <p>Immutable once built (the histograms are private copies).
 */
public final class KindResult {

  private final RequestKind kind;
  private final long requests;
  private final long failed;
  private final long bytes;
  private final Histogram firstByte;
  private final Histogram complete;

  KindResult(RequestKind kind, long requests, long failed, long bytes, Histogram firstByte, Histogram complete) {
    this.kind = kind;
    this.requests = requests;
    this.failed = failed;
    this.bytes = bytes;
    this.firstByte = firstByte.copy();
    this.complete = complete.copy();
  }

  /** Returns the kind. */
  public RequestKind kind() {
    return kind;
  }

  /** Returns how many requests ended, successful or not. */
  public long requests() {
    return requests;
  }

  /** Returns how many succeeded. */
  public long ok() {
    return requests - failed;
  }

  /** Returns how many failed. */
  public long failed() {
    return failed;
  }

  /** Returns the body bytes received, failed requests included. */
  public long bytes() {
    return bytes;
  }

  /** Returns the time-to-first-byte summary of the successful requests. */
  public Percentiles firstByte() {
    return Percentiles.of(firstByte);
  }

  /** Returns the time-to-complete summary of the successful requests. */
  public Percentiles complete() {
    return Percentiles.of(complete);
  }

  /** Returns a copy of the time-to-first-byte histogram (microseconds). */
  public Histogram firstByteHistogram() {
    return firstByte.copy();
  }

  /** Returns a copy of the time-to-complete histogram (microseconds). */
  public Histogram completeHistogram() {
    return complete.copy();
  }
}
