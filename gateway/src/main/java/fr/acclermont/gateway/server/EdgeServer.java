package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.ServerConfig;
import fr.acclermont.gateway.http.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing listeners: plain HTTP on {@code server.port} and, with {@code server.tls}, HTTPS
 * on {@code server.tls.port}; both serve the same pipeline (HTTPS after TLS). {@link #stop} drains
 * gracefully: it stops accepting, lets in-flight
 * responses finish within a bound, then closes what is left.
 */
public final class EdgeServer {

  private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
  /**
   * Client connections pause their responses above 2 MiB queued, resume below 256 KiB. What is
   * queued is mostly retained views of stored slices, not copies, so a deep queue costs no memory;
   * it lets one write hand the kernel a whole slice. With 256/64 KiB a hot 64 MiB object went out
   * in 243 KB sendto calls, one wake-up each: 5.7 GB per proxy CPU-second; with these, 6.8
   * (loadtest/bin/peers-compare.sh, docs/measurements.md "Side by side with nginx and Varnish").
   */
  private static final WriteBufferWaterMark CLIENT_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 2 * 1024 * 1024);

  private final GatewayServices services;
  private final ChannelGroup connections;
  /** The plain listener; null with {@code server.port: off}. */
  private final @Nullable Channel listener;
  private final @Nullable Channel tlsListener;
  private final @Nullable EdgeTls tls;

  private EdgeServer(GatewayServices services, ChannelGroup connections, @Nullable Channel listener,
      @Nullable Channel tlsListener, @Nullable EdgeTls tls) {
    this.services = services;
    this.connections = connections;
    this.listener = listener;
    this.tlsListener = tlsListener;
    this.tls = tls;
  }

  /**
   * Binds the listener on {@code server.host:server.port}, and the HTTPS one on
   * {@code server.host:server.tls.port} when {@code server.tls} is set.
   *
   * @throws IllegalStateException if an address cannot be bound, or the TLS engine refuses the
   *     certificate and key
   */
  public static EdgeServer start(GatewayServices services, Transport transport, EventLoopGroup group,
      ByteBufAllocator allocator) {
    requireNonNull(services, "services");
    ChannelGroup connections = new DefaultChannelGroup("edge-connections", GlobalEventExecutor.INSTANCE);
    ServerConfig server = services.config().server();
    if (server.tls() == null) {
      Channel listener = bind(services, transport, group, allocator,
          new EdgeServerInitializer(services, connections), server.port());
      return new EdgeServer(services, connections, listener, null, null);
    }
    EdgeTls tls = EdgeTls.start(server.tls(), server.http2().enabled());
    Channel tlsListener = null;
    try {
      services.metrics().registerClientTls();
      tlsListener = bind(services, transport, group, allocator,
          new EdgeServerInitializer(services, connections, tls, null), server.tls().port());
      HttpsRedirect redirect = server.redirectToHttps()
          ? new HttpsRedirect(((InetSocketAddress) tlsListener.localAddress()).getPort()) : null;
      Channel listener = server.port() == ServerConfig.OFF ? null : bind(services, transport, group, allocator,
          new EdgeServerInitializer(services, connections, null, redirect), server.port());
      return new EdgeServer(services, connections, listener, tlsListener, tls);
    } catch (RuntimeException e) {
      if (tlsListener != null) {
        tlsListener.close().syncUninterruptibly();
      }
      tls.close();
      throw e;
    }
  }

  private static Channel bind(GatewayServices services, Transport transport, EventLoopGroup group,
      ByteBufAllocator allocator, EdgeServerInitializer initializer, int port) {
    String host = services.config().server().host();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, allocator)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, CLIENT_WATER_MARK)
        .childHandler(initializer);
    try {
      return bootstrap.bind(host, port).syncUninterruptibly().channel();
    } catch (Exception e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sets up {@code channel} as an accepted client connection is: the same channel options (no
   * auto-read, the write buffer water marks, {@code allocator}) and the same pipeline, installed
   * when the channel is registered. It exists for the benchmarks ({@code benchmarks/}, package
   * {@code fr.acclermont.benchmarks.server}), which drive the real pipeline on an
   * {@code EmbeddedChannel} with raw request bytes; the gateway itself goes through {@link #start}.
   * The channel is tracked in a group of its own, so it never delays a gateway's {@link #stop}.
   */
  public static void initClientChannel(Channel channel, GatewayServices services, ByteBufAllocator allocator) {
    requireNonNull(channel, "channel");
    requireNonNull(services, "services");
    requireNonNull(allocator, "allocator");
    channel.config().setAutoRead(false);
    channel.config().setWriteBufferWaterMark(CLIENT_WATER_MARK);
    channel.config().setAllocator(allocator);
    ChannelGroup connections = new DefaultChannelGroup("edge-connections", GlobalEventExecutor.INSTANCE);
    channel.pipeline().addLast(new EdgeServerInitializer(services, connections));
  }

  /**
   * The bytes queued in each open client connection's outbound buffer (read from any thread: the
   * buffer's total is volatile).
   */
  public List<Long> pendingBytes() {
    List<Long> pending = new ArrayList<>();
    for (Channel ch : connections) {
      ChannelOutboundBuffer buffer = ch.unsafe().outboundBuffer();
      pending.add(buffer == null ? 0L : buffer.totalPendingWriteBytes());
    }
    return pending;
  }

  /** The bound port (useful when configured as 0); -1 with {@code server.port: off}. */
  public int port() {
    return listener == null ? ServerConfig.OFF : ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The bound HTTPS port, or -1 without {@code server.tls}. */
  public int tlsPort() {
    return tlsListener == null ? -1 : ((InetSocketAddress) tlsListener.localAddress()).getPort();
  }

  /**
   * Checks the certificate and key files now rather than at the next interval (a reload signal);
   * returns at once, the check runs on the reload thread. Does nothing without {@code server.tls}.
   */
  public void reloadTls() {
    if (tls != null) {
      tls.reloadNow();
    }
  }

  /** The certificate new HTTPS handshakes present, or null without {@code server.tls}. */
  public java.security.cert.@Nullable X509Certificate tlsCertificate() {
    return tls == null ? null : tls.certificate();
  }

  /** Whether the listeners are open. */
  public boolean isListening() {
    return (listener == null || listener.isActive()) && (tlsListener == null || tlsListener.isActive());
  }

  /**
   * Stops accepting, asks every connection to close after its current response, and waits up to
   * {@code grace} for them; what is still open then is closed.
   */
  public void stop(Duration grace) {
    services.startDraining();
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    if (tlsListener != null) {
      tlsListener.close().syncUninterruptibly();
    }
    if (tls != null) {
      tls.close();
    }
    connections.forEach(ch -> ch.pipeline().fireUserEventTriggered(EdgeHandler.DRAIN));
    long deadline = System.nanoTime() + grace.toNanos();
    for (Channel ch : connections) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !ch.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        break;
      }
    }
    if (!connections.isEmpty()) {
      log.warn("closing {} connections still busy after {} ms", connections.size(), grace.toMillis());
      connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
  }
}
