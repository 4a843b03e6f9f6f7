package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.OriginConfig;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * One configured origin as the data path sees it: where to connect, over TLS or not, what to send
 * as {@code Host}, the base path to prepend, its connection pool and whether it is reachable.
 */
public final class OriginRoute {

  private final OriginConfig config;
  private final String host;
  private final int port;
  private final int defaultPort;
  private final @Nullable OriginTls tls;
  private final String authority;
  private final String basePath;
  private final OriginConnectionPool pool;
  private final FetchLimiter limiter;
  private final OriginHealth health;

  /**
   * Creates the route and its (empty) pool; for an {@code https} origin, builds its TLS context
   * (start-up work: it reads the trust store).
   */
  public OriginRoute(OriginConfig config, OriginConnectionPool.Connector connector) {
    this.config = requireNonNull(config, "config");
    URI url = config.url();
    this.host = url.getHost();
    this.defaultPort = config.isHttps() ? 443 : 80;
    this.port = url.getPort() > 0 ? url.getPort() : defaultPort;
    this.tls = config.isHttps() ? OriginTls.create(config, host, port) : null;
    this.authority = url.getPort() > 0 ? host + ':' + port : host;
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.pool = new OriginConnectionPool(this, connector, config.maxIdleConnections());
    this.limiter = new FetchLimiter(config.maxFetches());
    this.health = new OriginHealth(config.name() + " (" + config.url() + ")");
  }

  /** The configured name: the {@code origin} metrics label and the cache key's namespace. */
  public String name() {
    return config.name();
  }

  /** The configuration. */
  public OriginConfig config() {
    return config;
  }

  /** The host to connect to. */
  public String host() {
    return host;
  }

  /** The port to connect to. */
  public int port() {
    return port;
  }

  /** The scheme's default port: 443 for {@code https}, 80 for {@code http}. */
  public int defaultPort() {
    return defaultPort;
  }

  /** The TLS of an {@code https} origin; null for {@code http}. */
  public @Nullable OriginTls tls() {
    return tls;
  }

  /** The {@code Host} header value sent to the origin. */
  public String authority() {
    return authority;
  }

  /** The origin-form target for a client's origin-form target. */
  public String targetFor(String pathAndQuery) {
    return basePath + pathAndQuery;
  }

  /** The keep-alive connections to this origin. */
  public OriginConnectionPool pool() {
    return pool;
  }

  /** Bounds and orders the slice fetches in flight to this origin. */
  public FetchLimiter limiter() {
    return limiter;
  }

  /** Whether this origin is reachable, as its exchanges and probes find it. */
  public OriginHealth health() {
    return health;
  }

  @Override
  public String toString() {
    return name() + " (" + config.url() + ")";
  }
}
