package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * The client-facing listener. Immutable.
 *
 * @param host the address to listen on, such as {@code 0.0.0.0}
 * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo)
 * @param via the pseudonym this gateway writes in {@code Via} and detects loops with; an HTTP
 *     token
 * @param ioThreads the number of Netty I/O threads, 0 = Netty's default (2 x cores)
 */
public record ServerConfig(String host, int port, String via, int ioThreads) {

  /**
   * Creates a server configuration. Parameters are checked for null only: ranges are checked by
   * {@link ConfigLoader}.
   *
   * @param host the address to listen on, such as {@code 0.0.0.0}
   * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo)
   * @param via the pseudonym this gateway writes in {@code Via} and detects loops with; an HTTP
   *     token
   * @param ioThreads the number of Netty I/O threads, 0 = Netty's default (2 x cores)
   */
  public ServerConfig {
    requireNonNull(host, "host");
    requireNonNull(via, "via");
  }

  /**
   * Returns the documented defaults: {@code 0.0.0.0:8080}, via {@code textbook-gateway}, Netty's
   * default number of I/O threads.
   *
   * @return the default server configuration
   */
  public static ServerConfig defaults() {
    return new ServerConfig("0.0.0.0", 8080, "textbook-gateway", 0);
  }
}
