package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.http.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load client: event loops and the target's address, from which {@link ConnectionPool}s
 * (one per student) are made. Nothing here blocks an event loop: connections, timeouts and
 * checks are all asynchronous, and bodies stream through without being kept.
 *
 * <p>Thread-safe. Close it to close every connection and stop its threads.
 */
public final class LoadClient implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(LoadClient.class);

  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final Transport transport;
  private final EventLoopGroup group;
  private final Target target;
  private final InetSocketAddress address;
  private final ClientOptions options;
  private final ClientTls tls;
  /** The target's TLS context, or null for an http target. */
  private final SslContext targetTls;

  private LoadClient(Transport transport, EventLoopGroup group, Target target, InetSocketAddress address,
      ClientOptions options, ClientTls tls, SslContext targetTls) {
    this.tls = tls;
    this.targetTls = targetTls;
    this.transport = transport;
    this.group = group;
    this.target = target;
    this.address = address;
    this.options = options;
  }

  /**
   * Starts the event loops for load on {@code target}. The host name is resolved once, here, so
   * no event loop ever waits for DNS; for an https target the TLS context is built here too.
   *
   * @throws UncheckedIOException if the host name cannot be resolved
   * @throws IllegalArgumentException if an https target's CA file holds no usable certificate
   */
  public static LoadClient start(Target target, ClientOptions options) {
    requireNonNull(target, "target");
    requireNonNull(options, "options");
    InetSocketAddress address = resolve(target);
    ClientTls tls = new ClientTls();
    SslContext targetTls = target.https() ? tls.context(target) : null;
    Transport transport = Transport.best();
    EventLoopGroup group = transport.newGroup(options.threads(), "loadtest-client");
    return new LoadClient(transport, group, target, address, options, tls, targetTls);
  }

  /** Returns the target of the load. */
  public Target target() {
    return target;
  }

  /** Returns the options. */
  public ClientOptions options() {
    return options;
  }

  /** Returns a new pool of connections to the target, bound to the next event loop in turn. */
  public ConnectionPool newPool() {
    EventLoop loop = group.next();
    return new ConnectionPool(bootstrap(loop, address), loop, target, targetTls, options.maxConnectionsPerPool(),
        options.timeout().toNanos());
  }

  /**
   * Sends one small, unmeasured request ({@code GET} the catalog, {@code POST} a stats reset...)
   * to {@code where} (the target or another server), on a connection of its own.
   *
   * @return the whole response; fails with the connection's exception (e.g. a
   *     {@link java.net.ConnectException} or an {@link javax.net.ssl.SSLHandshakeException}), a
   *     {@link java.util.concurrent.TimeoutException} after the request timeout, or an
   *     {@link IllegalArgumentException} when an https {@code where}'s CA file is unusable
   */
  public CompletableFuture<SimpleResponse> control(Target where, HttpMethod method, String path) {
    requireNonNull(where, "where");
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    InetSocketAddress to = where.equals(target) ? address : resolve(where);
    SslContext whereTls;
    try {
      whereTls = where.https() ? tls.context(where) : null;
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Duration timeout = options.timeout();
    return ControlRequest.send(bootstrap(group, to), to, where, whereTls, method, path, timeout);
  }

  /** Closes every connection and stops the event loops, waiting at most 5 s. Idempotent. */
  @Override
  public void close() {
    if (!group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      logger.warn("load client event loops did not stop within {} s", SHUTDOWN_TIMEOUT_SECONDS);
    }
  }

  @Override
  public String toString() {
    return "LoadClient{" + target + ", " + options + "}";
  }

  private Bootstrap bootstrap(EventLoopGroup loops, InetSocketAddress to) {
    return new Bootstrap()
        .group(loops)
        .channel(transport.socketChannel())
        .remoteAddress(to)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis()));
  }

  private static InetSocketAddress resolve(Target target) {
    InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
    if (address.isUnresolved()) {
      throw new UncheckedIOException(new UnknownHostException("cannot resolve " + target.host()));
    }
    return address;
  }
}
