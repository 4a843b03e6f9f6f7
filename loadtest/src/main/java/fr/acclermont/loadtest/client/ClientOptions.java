package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a {@link LoadClient} behaves.
 *
 * @param threads event-loop threads; every pool, and so every student, is bound to one of them
 * @param maxConnectionsPerPool connections a pool may open to the target at once (6: a browser's
 *     per-host limit)
 * @param timeout how long a request may take from the moment it is written to its last byte; also
 *     the connect timeout
 */
public record ClientOptions(int threads, int maxConnectionsPerPool, Duration timeout) {

  /** A browser's per-host connection limit. */
  public static final int BROWSER_CONNECTIONS = 6;
  /** The default request timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Validates the components. */
  public ClientOptions {
    requireNonNull(timeout, "timeout");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    if (maxConnectionsPerPool < 1) {
      throw new IllegalArgumentException("maxConnectionsPerPool: " + maxConnectionsPerPool + " (expected: >= 1)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }

  /**
   * Returns the defaults: one thread per core up to 4 (the target, often on the same machine,
   * needs the rest), 6 connections per pool, a 30 s timeout.
   */
  public static ClientOptions defaults() {
    return new ClientOptions(Math.min(4, Runtime.getRuntime().availableProcessors()), BROWSER_CONNECTIONS,
        DEFAULT_TIMEOUT);
  }

  /** Returns these options with another timeout. */
  public ClientOptions withTimeout(Duration timeout) {
    return new ClientOptions(threads, maxConnectionsPerPool, timeout);
  }

  /** Returns these options with another connection limit per pool. */
  public ClientOptions withMaxConnectionsPerPool(int maxConnectionsPerPool) {
    return new ClientOptions(threads, maxConnectionsPerPool, timeout);
  }
}
