package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The management listener: {@code /metrics}, {@code /healthz}, {@code /readyz} and the admin API.
 * Immutable. Its {@code toString()} never shows the token: {@link AdminToken} masks it.
 *
 * @param host the address to listen on, such as {@code 127.0.0.1}
 * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo)
 * @param token the bearer token every endpoint but {@code /healthz}, {@code /readyz} and (unless
 *     {@code metricsRequireToken}) {@code /metrics} requires ({@code admin.token-file}); null
 *     for none: every endpoint is open, as before tokens existed
 * @param metricsRequireToken whether {@code /metrics} requires the token too
 *     ({@code admin.metrics-require-token}, default false so that existing scrape configurations
 *     keep working); only with a token
 */
public record AdminConfig(String host, int port, @Nullable AdminToken token, boolean metricsRequireToken) {

  /**
   * Creates an admin configuration. Parameters are checked for null only: ranges are checked by
   * {@link ConfigLoader}.
   *
   * @param host the address to listen on, such as {@code 127.0.0.1}
   * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo)
   * @param token the bearer token, or null for none
   * @param metricsRequireToken whether {@code /metrics} requires the token too
   */
  public AdminConfig {
    requireNonNull(host, "host");
    if (metricsRequireToken && token == null) {
      throw new IllegalArgumentException("metricsRequireToken without a token");
    }
  }

  /**
   * Creates an admin configuration without a token: every endpoint is open.
   *
   * @param host the address to listen on, such as {@code 127.0.0.1}
   * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo)
   */
  public AdminConfig(String host, int port) {
    this(host, port, null, false);
  }

  /**
   * Returns the documented defaults: {@code 127.0.0.1:9090}, no token.
   *
   * @return the default admin configuration
   */
  public static AdminConfig defaults() {
    return new AdminConfig("127.0.0.1", 9090);
  }
}
