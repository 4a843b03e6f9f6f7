package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * A misbehaviour the origin applies to one response, as decided by a {@link FaultInjector}.
 *
 * @param kind what goes wrong
 * @param status the status answered, for {@link Kind#STATUS}; 0 otherwise
 * @param afterBytes how many body bytes are sent first, for {@link Kind#RESET} and
 *     {@link Kind#STALL} cut by bytes; 0 otherwise
 * @param stall how long the body pauses, for {@link Kind#STALL} ({@link #FOREVER}: until the
 *     peer closes or the origin stops); {@link Duration#ZERO} otherwise
 * @param afterFraction for a cut placed relative to the body ({@link #resetMidBody},
 *     {@link #stallMidBody}): the share of the body sent first, in [0, 1); {@link #BY_BYTES}
 *     when {@code afterBytes} places the cut. An injector sees only the request, so it cannot
 *     know how long the body will be (ranges, {@code HEAD}, 304); the origin resolves the share
 *     with {@link #bodyBytesBeforeCut(long)} once it does.
 */
public record Fault(Kind kind, int status, long afterBytes, Duration stall, double afterFraction) {

  /** A stall that never resumes. */
  public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  /** The {@link #afterFraction()} of a fault whose cut is placed by {@link #afterBytes()}. */
  public static final double BY_BYTES = -1;

  private static final Fault NONE = new Fault(Kind.NONE, 0, 0, Duration.ZERO, BY_BYTES);
  private static final Fault CLOSE = new Fault(Kind.CLOSE, 0, 0, Duration.ZERO, BY_BYTES);

  /** What goes wrong with a response. */
  public enum Kind {
    /** Nothing: the response is normal. */
    NONE,
    /** The origin answers {@link Fault#status()} with a short text body, whatever the path. */
    STATUS,
    /** Headers and {@link Fault#afterBytes()} body bytes, then a TCP reset (SO_LINGER 0). */
    RESET,
    /** Headers and {@link Fault#afterBytes()} body bytes, then nothing for {@link Fault#stall()}. */
    STALL,
    /** The connection is closed before anything is sent. */
    CLOSE
  }

  /** Validates the components. */
  public Fault {
    requireNonNull(kind, "kind");
    requireNonNull(stall, "stall");
    if (kind == Kind.STATUS && (status < 200 || status > 599)) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200-599)");
    }
    if (afterBytes < 0) {
      throw new IllegalArgumentException("afterBytes: " + afterBytes + " (expected: >= 0)");
    }
    if (stall.isNegative()) {
      throw new IllegalArgumentException("stall: " + stall + " (expected: >= 0)");
    }
    if (afterFraction != BY_BYTES && !(afterFraction >= 0 && afterFraction < 1
        && (kind == Kind.RESET || kind == Kind.STALL))) {
      throw new IllegalArgumentException("afterFraction: " + afterFraction
          + " (expected: " + BY_BYTES + ", or 0 <= fraction < 1 for a reset or a stall)");
    }
  }

  /** Returns the absence of fault. */
  public static Fault none() {
    return NONE;
  }

  /** Returns a fault that answers {@code status} (200–599) with a short text body. */
  public static Fault status(int status) {
    return new Fault(Kind.STATUS, status, 0, Duration.ZERO, BY_BYTES);
  }

  /** Returns a fault that resets the connection after {@code bytes} body bytes. */
  public static Fault resetAfter(long bytes) {
    return new Fault(Kind.RESET, 0, bytes, Duration.ZERO, BY_BYTES);
  }

  /**
   * Returns a fault that resets the connection mid-body, after {@code fraction} (0 <= fraction
   * < 1) of the body: at least one byte and fewer than all (see {@link #bodyBytesBeforeCut}).
   */
  public static Fault resetMidBody(double fraction) {
    return new Fault(Kind.RESET, 0, 0, Duration.ZERO, fraction);
  }

  /** Returns a fault that stops sending after {@code bytes} body bytes, keeping the connection. */
  public static Fault stallAfter(long bytes) {
    return new Fault(Kind.STALL, 0, bytes, FOREVER, BY_BYTES);
  }

  /** Returns a fault that pauses for {@code stall} after {@code bytes} body bytes, then resumes. */
  public static Fault stallAfter(long bytes, Duration stall) {
    return new Fault(Kind.STALL, 0, bytes, stall, BY_BYTES);
  }

  /**
   * Returns a fault that pauses mid-body for {@code stall}, then resumes: the pause comes after
   * {@code fraction} (0 <= fraction < 1) of the body, at least one byte and fewer than all (see
   * {@link #bodyBytesBeforeCut}).
   */
  public static Fault stallMidBody(double fraction, Duration stall) {
    return new Fault(Kind.STALL, 0, 0, stall, fraction);
  }

  /** Returns a fault that closes the connection before sending anything. */
  public static Fault closeBeforeHeaders() {
    return CLOSE;
  }

  /**
   * Returns how many of a body's {@code bodyLength} bytes a {@link Kind#RESET} or
   * {@link Kind#STALL} sends before its cut: {@link #afterBytes()} (at most the body), or for a
   * mid-body cut {@code floor(afterFraction * bodyLength)} kept between 1 and
   * {@code bodyLength - 1}, so some of the body arrives and some does not (0 for a body of 0
   * or 1 byte, where no byte is both).
   */
  public long bodyBytesBeforeCut(long bodyLength) {
    if (afterFraction == BY_BYTES) {
      return Math.min(afterBytes, bodyLength);
    }
    if (bodyLength < 2) {
      return 0;
    }
    long cut = (long) (afterFraction * bodyLength);
    return Math.max(1, Math.min(bodyLength - 1, cut));
  }

  /** Returns whether this is a stall that never resumes. */
  public boolean stallsForever() {
    return kind == Kind.STALL && stall.equals(FOREVER);
  }
}
