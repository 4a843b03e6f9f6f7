package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * One server a route's requests go to: its origin, or one of its parents (another gateway, or the
 * HAProxy in front of a cluster of them). Each has its own address, TLS, keep-alive connections and
 * health, so that a parent down is skipped while the others, and the origin, are still asked.
 *
 * <p>Requests are built for the origin ({@link OriginRoute#authority()},
 * {@link OriginRoute#targetFor}); a parent is asked the same thing {@linkplain #aim re-aimed}: its
 * own base path in place of the origin's, its own {@code Host}. A parent gateway routes by the
 * client's path as this one does, and adds the origin's base path itself.
 */
public final class Upstream {

  private final OriginRoute route;
  private final URI url;
  private final boolean parent;
  private final String host;
  private final int port;
  private final int defaultPort;
  private final @Nullable OriginTls tls;
  private final String authority;
  private final String basePath;
  private final OriginConnectionPool pool;
  private final OriginHealth health;

  /**
   * Creates the upstream and its (empty) pool; over {@code https}, builds its TLS context from the
   * route's {@code tls} settings (start-up work: it reads the trust store).
   *
   * @param parent whether {@code url} is a parent's (else the origin's)
   */
  Upstream(OriginRoute route, URI url, boolean parent, OriginConnectionPool.Connector connector) {
    this.route = requireNonNull(route, "route");
    this.url = requireNonNull(url, "url");
    this.parent = parent;
    boolean https = "https".equals(url.getScheme());
    this.host = url.getHost();
    this.defaultPort = https ? 443 : 80;
    this.port = url.getPort() > 0 ? url.getPort() : defaultPort;
    this.tls = https ? OriginTls.create(route.config(), host, port) : null;
    this.authority = url.getPort() > 0 ? host + ':' + port : host;
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.pool = new OriginConnectionPool(this, connector);
    this.health = new OriginHealth((parent ? route.name() + "'s parent (" : route.name() + " (") + url + ")");
  }

  /** The route whose requests this upstream takes. */
  public OriginRoute route() {
    return route;
  }

  /** The configured URL. */
  public URI url() {
    return url;
  }

  /** Whether this is one of the route's parents, not its origin. */
  public boolean isParent() {
    return parent;
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

  /** The TLS of an {@code https} upstream; null for {@code http}. */
  public @Nullable OriginTls tls() {
    return tls;
  }

  /** The {@code Host} header value sent to this upstream. */
  public String authority() {
    return authority;
  }

  /** The origin-form target here for a client's origin-form target. */
  public String targetFor(String pathAndQuery) {
    return basePath + pathAndQuery;
  }

  /** The keep-alive connections to this upstream. */
  public OriginConnectionPool pool() {
    return pool;
  }

  /** Whether this upstream is reachable, as its exchanges and probes find it. */
  public OriginHealth health() {
    return health;
  }

  /**
   * The request as this upstream takes it. {@code forOrigin} itself for the origin; for a parent, a
   * copy with the parent's base path in place of the origin's and the parent's {@code Host} (the
   * original is left as it is: a failed exchange may send it on to the next upstream).
   */
  HttpRequest aim(HttpRequest forOrigin) {
    if (!parent) {
      return forOrigin;
    }
    String uri = forOrigin.uri();
    String originBase = route.origin().basePath;
    String pathAndQuery = uri.startsWith(originBase) ? uri.substring(originBase.length()) : uri;
    if (pathAndQuery.isEmpty()) {
      pathAndQuery = "/";
    }
    DefaultHttpRequest aimed = new DefaultHttpRequest(forOrigin.protocolVersion(), forOrigin.method(),
        targetFor(pathAndQuery), new DefaultHttpHeaders().set(forOrigin.headers()));
    aimed.headers().set(HttpHeaderNames.HOST, authority);
    return aimed;
  }

  /** Stops probing and closes the idle connections (a reload removed or replaced the route). */
  void retire() {
    health.close();
    pool.retire();
  }

  /** Stops probing and closes the idle connections (shutdown: before the event loops stop). */
  void close() {
    health.close();
    pool.closeIdle();
  }

  @Override
  public String toString() {
    return (parent ? "parent " : "origin ") + url;
  }
}
