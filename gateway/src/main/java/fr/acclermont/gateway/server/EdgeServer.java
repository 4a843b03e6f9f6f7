package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing listener. {@link #stop} drains gracefully: it stops accepting, lets in-flight
 * responses finish within a bound, then closes what is left.
 */
public final class EdgeServer {

  private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
  /**
   * Client connections pause their responses above 2 MiB queued, resume below 256 KiB. What is
   * queued is mostly retained views of stored slices, not copies, so a deep queue costs no memory;
   * it lets one write hand the kernel a whole slice. With 256/64 KiB a hot 64 MiB object went out
   * in 243 KB sendto calls, one wake-up each: 5.7 GB per proxy CPU-second; with these, 6.8
   * (loadtest/bin/peers-compare.sh, README "Side by side").
   */
  private static final WriteBufferWaterMark CLIENT_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 2 * 1024 * 1024);

  private final GatewayServices services;
  private final ChannelGroup connections;
  private final Channel listener;

  private EdgeServer(GatewayServices services, ChannelGroup connections, Channel listener) {
    this.services = services;
    this.connections = connections;
    this.listener = listener;
  }

  /**
   * Binds the listener on {@code server.host:server.port}.
   *
   * @throws IllegalStateException if the address cannot be bound
   */
  public static EdgeServer start(GatewayServices services, Transport transport, EventLoopGroup group,
      ByteBufAllocator allocator) {
    requireNonNull(services, "services");
    ChannelGroup connections = new DefaultChannelGroup("edge-connections", GlobalEventExecutor.INSTANCE);
    String host = services.config().server().host();
    int port = services.config().server().port();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, allocator)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, CLIENT_WATER_MARK)
        .childHandler(new EdgeServerInitializer(services, connections));
    try {
      Channel listener = bootstrap.bind(host, port).syncUninterruptibly().channel();
      return new EdgeServer(services, connections, listener);
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

  /** The bound port (useful when configured as 0). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Whether the listener is open. */
  public boolean isListening() {
    return listener.isActive();
  }

  /**
   * Stops accepting, asks every connection to close after its current response, and waits up to
   * {@code grace} for them; what is still open then is closed.
   */
  public void stop(Duration grace) {
    services.startDraining();
    listener.close().syncUninterruptibly();
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
