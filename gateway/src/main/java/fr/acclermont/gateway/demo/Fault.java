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
 *     {@link Kind#STALL}; 0 otherwise
 * @param stall how long the body pauses, for {@link Kind#STALL} ({@link #FOREVER}: until the
 *     peer closes or the origin stops); {@link Duration#ZERO} otherwise
 */
public record Fault(Kind kind, int status, long afterBytes, Duration stall) {

  /** A stall that never resumes. */
  public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  private static final Fault NONE = new Fault(Kind.NONE, 0, 0, Duration.ZERO);
  private static final Fault CLOSE = new Fault(Kind.CLOSE, 0, 0, Duration.ZERO);

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
  }

  /** Returns the absence of fault. */
  public static Fault none() {
    return NONE;
  }

  /** Returns a fault that answers {@code status} (200–599) with a short text body. */
  public static Fault status(int status) {
    return new Fault(Kind.STATUS, status, 0, Duration.ZERO);
  }

  /** Returns a fault that resets the connection after {@code bytes} body bytes. */
  public static Fault resetAfter(long bytes) {
    return new Fault(Kind.RESET, 0, bytes, Duration.ZERO);
  }

  /** Returns a fault that stops sending after {@code bytes} body bytes, keeping the connection. */
  public static Fault stallAfter(long bytes) {
    return new Fault(Kind.STALL, 0, bytes, FOREVER);
  }

  /** Returns a fault that pauses for {@code stall} after {@code bytes} body bytes, then resumes. */
  public static Fault stallAfter(long bytes, Duration stall) {
    return new Fault(Kind.STALL, 0, bytes, stall);
  }

  /** Returns a fault that closes the connection before sending anything. */
  public static Fault closeBeforeHeaders() {
    return CLOSE;
  }

  /** Returns whether this is a stall that never resumes. */
  public boolean stallsForever() {
    return kind == Kind.STALL && stall.equals(FOREVER);
  }
}
