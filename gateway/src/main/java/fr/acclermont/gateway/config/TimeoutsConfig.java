package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Timeouts on client connections and on shutdown. Immutable.
 *
 * @param requestHeader the time from the first byte of a request to the end of its headers
 * @param keepAlive the time after which an idle keep-alive connection is closed
 * @param shutdown the time allowed for in-flight responses after SIGTERM; may be zero
 */
public record TimeoutsConfig(Duration requestHeader, Duration keepAlive, Duration shutdown) {

  /**
   * Creates a timeouts configuration. Parameters are checked for null only: ranges are checked by
   * {@link ConfigLoader}.
   *
   * @param requestHeader the time from the first byte of a request to the end of its headers
   * @param keepAlive the time after which an idle keep-alive connection is closed
   * @param shutdown the time allowed for in-flight responses after SIGTERM; may be zero
   */
  public TimeoutsConfig {
    requireNonNull(requestHeader, "requestHeader");
    requireNonNull(keepAlive, "keepAlive");
    requireNonNull(shutdown, "shutdown");
  }

  /**
   * Returns the documented defaults: 10s for request headers, 60s keep-alive, 10s shutdown.
   *
   * @return the default timeouts
   */
  public static TimeoutsConfig defaults() {
    return new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(10));
  }
}
