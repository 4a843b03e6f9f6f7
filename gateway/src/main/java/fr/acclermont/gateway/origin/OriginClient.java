package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.server.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Opens connections to origins and starts exchanges over them. Connections are made on the
 * caller's event loop and pooled per route ({@link OriginConnectionPool}). Thread-safe.
 */
public final class OriginClient implements OriginConnectionPool.Connector {

  /** Large decoded pieces: fewer objects per MiB; the codec slices, it does not copy. */
  private static final int MAX_CHUNK_BYTES = 256 * 1024;
  /** Origin response heads are trusted more than clients', but still bounded. */
  private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

  private final Transport transport;
  private final ByteBufAllocator allocator;
  private final GatewayMetrics metrics;

  /** Creates the client; it holds no connection until asked. */
  public OriginClient(Transport transport, ByteBufAllocator allocator, GatewayMetrics metrics) {
    this.transport = requireNonNull(transport, "transport");
    this.allocator = requireNonNull(allocator, "allocator");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public ChannelFuture connect(OriginRoute route, EventLoop loop) {
    return new Bootstrap()
        .group(loop)
        .channel(transport.socketChannel())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, allocator)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) route.config().connectTimeout().toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
                .setMaxChunkSize(MAX_CHUNK_BYTES)
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES), false, false));
            ch.pipeline().addLast("exchange", new OriginChannelHandler());
          }
        })
        .connect(route.host(), route.port());
  }

  /**
   * Sends a request to an origin. Must be called on {@code loop}; events reach {@code listener} on it.
   *
   * @param request the head to send, already rewritten for the origin (target, Host, hop-by-hop)
   * @param hasBody whether the caller will stream a body with {@link OriginExchange#writeBody}
   */
  public OriginExchange exchange(OriginRoute route, EventLoop loop, HttpRequest request, boolean hasBody,
      OriginResponseListener listener) {
    OriginExchange exchange = new OriginExchange(route, loop, request, hasBody, listener, metrics, true);
    exchange.start();
    return exchange;
  }

  /**
   * Sends a health probe: like {@link #exchange}, but sent even while the origin is down, when
   * other requests are admitted one at a time ({@link OriginHealth#tryTrial}).
   */
  OriginExchange probe(OriginRoute route, EventLoop loop, HttpRequest request, OriginResponseListener listener) {
    OriginExchange exchange = new OriginExchange(route, loop, request, false, listener, metrics, false);
    exchange.start();
    return exchange;
  }

  /** The meters, for the probes this client sends. */
  GatewayMetrics metrics() {
    return metrics;
  }
}
