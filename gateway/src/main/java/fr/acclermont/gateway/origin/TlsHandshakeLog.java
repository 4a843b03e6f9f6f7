package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the failed TLS handshakes of one origin as one ERROR line each, without a stack trace, but
 * not at every connection: an origin with a bad certificate is tried by every trial request and
 * probe while it is down. A failure is logged when its line differs from the last one logged, or
 * when {@link #REPEAT_MILLIS} have passed since (so a log kept for a day still shows it); the
 * others go to DEBUG. A successful handshake forgets the last line, so the next failure is logged.
 *
 * <p>Thread-safe: handshakes end on every event loop.
 */
final class TlsHandshakeLog {

  /** An unchanged failure is logged again at most every 10 minutes. */
  static final long REPEAT_MILLIS = 10 * 60_000;

  private static final Logger log = LoggerFactory.getLogger(TlsHandshakeLog.class);

  private final String origin;
  private final LongSupplier clockMillis;
  /** Read without the lock on every successful handshake: most are, and change nothing. */
  private volatile @Nullable String lastLine;
  private long lastLoggedMillis; // guarded by this

  TlsHandshakeLog(String origin) {
    this(origin, System::currentTimeMillis);
  }

  /** For tests: a manual clock. */
  TlsHandshakeLog(String origin, LongSupplier clockMillis) {
    this.origin = requireNonNull(origin, "origin");
    this.clockMillis = requireNonNull(clockMillis, "clockMillis");
  }

  /**
   * A handshake failed; {@code line} says why, e.g. {@code TLS handshake failed: certificate expired
   * for host cloud.example}. Returns whether it was logged at ERROR.
   */
  boolean failed(String line) {
    long now = clockMillis.getAsLong();
    synchronized (this) {
      if (line.equals(lastLine) && now - lastLoggedMillis < REPEAT_MILLIS) {
        log.debug("origin {}: {} (again)", origin, line);
        return false;
      }
      lastLine = line;
      lastLoggedMillis = now;
    }
    log.error("origin {}: {}", origin, line);
    return true;
  }

  /** A handshake succeeded: the next failure is news again. */
  void succeeded() {
    if (lastLine != null) {
      synchronized (this) {
        lastLine = null;
      }
    }
  }
}
