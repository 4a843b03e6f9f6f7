package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Timeouts on client connections and on shutdown. Immutable.
 *
 * @param requestHeader the time from the first byte of a request to the end of its headers
 * @param keepAlive the time after which an idle keep-alive connection is closed
 * @param shutdown the time allowed for in-flight responses after SIGTERM; may be zero
 * @param requestBodyMinRate the lowest average rate, in bytes per second, at which a client may
 *     send a request body while the gateway reads it (408 below); 0 for no minimum
 * @param requestBodyRateWindow the time, counted only while the gateway waits for the client's
 *     body bytes, over which {@code requestBodyMinRate} is averaged
 * @param idleWrite the time a client connection may take none of the response bytes queued for
 *     it before it is closed
 */
public record TimeoutsConfig(Duration requestHeader, Duration keepAlive, Duration shutdown,
    long requestBodyMinRate, Duration requestBodyRateWindow, Duration idleWrite) {

  /**
   * Creates a timeouts configuration. Parameters are checked for null (and the rate for sign)
   * only: ranges are checked by {@link ConfigLoader}.
   */
  public TimeoutsConfig {
    requireNonNull(requestHeader, "requestHeader");
    requireNonNull(keepAlive, "keepAlive");
    requireNonNull(shutdown, "shutdown");
    requireNonNull(requestBodyRateWindow, "requestBodyRateWindow");
    requireNonNull(idleWrite, "idleWrite");
    if (requestBodyMinRate < 0) {
      throw new IllegalArgumentException("requestBodyMinRate < 0: " + requestBodyMinRate);
    }
  }

  /**
   * Returns the documented defaults: 10s for request headers, 60s keep-alive, 10s shutdown, a
   * request body at 1KiB/s at least over 10s, 60s without write progress.
   *
   * @return the default timeouts
   */
  public static TimeoutsConfig defaults() {
    return new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10),
        1024, Duration.ofSeconds(10), Duration.ofSeconds(60));
  }
}
