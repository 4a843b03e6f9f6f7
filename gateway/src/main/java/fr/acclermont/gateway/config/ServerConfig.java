package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The client-facing listener. Immutable.
 *
 * @param host the address to listen on, such as {@code 0.0.0.0}
 * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo), or
 *     {@link #OFF} ({@code server.port: off}, only with {@code server.tls}): no plain listener
 * @param via the pseudonym this gateway writes in {@code Via} and detects loops with; an HTTP
 *     token
 * @param ioThreads the number of Netty I/O threads, 0 = Netty's default (2 x cores)
 * @param tls the HTTPS listener ({@code server.tls}), null when off (the default)
 * @param redirectToHttps whether the plain listener answers GET and HEAD with a 308 to the HTTPS
 *     listener ({@code server.redirect-to-https}, default false; needs {@code tls})
 * @param http2 HTTP/2 on the HTTPS listener ({@code server.http2}): offered through ALPN, and its
 *     limits; unused without {@code tls} (no cleartext HTTP/2)
 */
public record ServerConfig(String host, int port, String via, int ioThreads,
    @Nullable ServerTlsConfig tls, boolean redirectToHttps, Http2Config http2) {

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
  /** {@code server.port: off}: no plain HTTP listener (HTTPS only). */
  public static final int OFF = -1;

  public ServerConfig {
    requireNonNull(host, "host");
    requireNonNull(via, "via");
    requireNonNull(http2, "http2");
  }

  /**
   * Creates a plain-HTTP-only server configuration (no {@code server.tls}, no redirect).
   *
   * @param host the address to listen on
   * @param port the port to listen on, 0..65535 (0 = an ephemeral port)
   * @param via the pseudonym written in {@code Via}
   * @param ioThreads the number of Netty I/O threads, 0 = Netty's default
   */
  public ServerConfig(String host, int port, String via, int ioThreads) {
    this(host, port, via, ioThreads, null, false, Http2Config.defaults());
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
