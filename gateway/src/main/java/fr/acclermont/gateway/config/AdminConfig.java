package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * The management listener: {@code /metrics}, {@code /healthz}, {@code /readyz} and the admin API.
 * Immutable.
 *
 * @param host the address to listen on, such as {@code 127.0.0.1}
 * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo)
 */
public record AdminConfig(String host, int port) {

  /**
   * Creates an admin configuration. Parameters are checked for null only: ranges are checked by
   * {@link ConfigLoader}.
   *
   * @param host the address to listen on, such as {@code 127.0.0.1}
   * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo)
   */
  public AdminConfig {
    requireNonNull(host, "host");
  }

  /**
   * Returns the documented defaults: {@code 127.0.0.1:9090}.
   *
   * @return the default admin configuration
   */
  public static AdminConfig defaults() {
    return new AdminConfig("127.0.0.1", 9090);
  }
}
