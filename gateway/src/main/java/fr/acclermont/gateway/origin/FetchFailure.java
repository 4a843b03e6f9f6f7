package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

/**
 * How a probe failed before its head was handled, which decides what the clients that waited for
 * it answer: a 504 when the origin did not answer in time, a 502 when no usable answer came, the
 * origin's own error (or a stale copy standing in) when it answered one.
 *
 * @param kind what happened
 * @param status the origin's error status for {@link Kind#ORIGIN_STATUS}; 0 for the others, which
 *     had no answer
 */
public record FetchFailure(Kind kind, int status) {

  /** What happened to the fetch. */
  public enum Kind {
    /** The origin did not answer in time: the waiters answer 504. */
    TIMEOUT,
    /**
     * No usable answer came: the origin could not be reached, broke the exchange, or the fetch was
     * cancelled (at shutdown). The waiters answer 502.
     */
    NO_ANSWER,
    /** The origin answered an error status: the waiters pass it through, or a stale copy stands in. */
    ORIGIN_STATUS
  }

  /** The origin did not answer in time. */
  public static final FetchFailure TIMEOUT = new FetchFailure(Kind.TIMEOUT, 0);

  /** No usable answer came from the origin. */
  public static final FetchFailure NO_ANSWER = new FetchFailure(Kind.NO_ANSWER, 0);

  /** Checks that a status comes with an origin's answer, and only then. */
  public FetchFailure {
    requireNonNull(kind, "kind");
    if ((kind == Kind.ORIGIN_STATUS) != (status > 0)) {
      throw new IllegalArgumentException(kind + " with status " + status);
    }
  }

  /** The origin answered {@code status}, an error. */
  public static FetchFailure originStatus(int status) {
    return new FetchFailure(Kind.ORIGIN_STATUS, status);
  }
}
