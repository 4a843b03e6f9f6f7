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

  /** Replaced by {@link #update}: the exchanges read their timeouts from it as they arm them. */
  private volatile OriginConfig config;
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
    this.pool = new OriginConnectionPool(this, connector);
    this.limiter = new FetchLimiter(config.maxFetches());
    this.health = new OriginHealth(config.name() + " (" + config.url() + ")");
  }

  /** The configured name: the {@code origin} metrics label and the cache key's namespace. */
  public String name() {
    return config.name();
  }

  /** The configuration now (a reload may have updated it). */
  public OriginConfig config() {
    return config;
  }

  /**
   * Whether {@link #update} can apply {@code next} to this route: the same origin (name, URL and
   * TLS), other settings aside. A route that cannot take it is replaced by a new one.
   */
  public boolean canUpdateTo(OriginConfig next) {
    return next.name().equals(config.name()) && next.url().equals(config.url()) && next.tls().equals(config.tls());
  }

  /**
   * Applies a reloaded configuration of the same origin ({@link #canUpdateTo}): timeouts (an
   * exchange under way reads them at its next wait), path prefixes (the router is rebuilt by the
   * caller), idle connections kept and slice fetches in flight. The pool, the health and the
   * fetches under way are kept.
   */
  public void update(OriginConfig next) {
    if (!canUpdateTo(next)) {
      throw new IllegalArgumentException("not the same origin: " + next.name() + " (" + next.url() + ")");
    }
    config = next;
    limiter.resize(next.maxFetches());
  }

  /**
   * Takes this route out of service after a reload removed or replaced its origin: no probes any
   * more, idle connections closed, and connections of the exchanges still under way closed when
   * they end. Those exchanges, and the fetches waiting in the limiter, finish on this route.
   */
  public void retire() {
    health.close();
    pool.retire();
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
