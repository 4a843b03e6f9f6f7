package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.http.Transport;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.metrics.TlsOutcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.List;

/**
 * Opens connections to origins and starts exchanges over them. Connections are made on the
 * caller's event loop and pooled per upstream, an origin or a parent ({@link OriginConnectionPool}).
 * An exchange tries its route's upstreams in the order of {@link OriginRoute#order}. Thread-safe.
 *
 * <p>TLS: a connection to an {@code https} origin has its route's {@link SslHandler} first in the
 * pipeline, and is handed over (its future completes) only once the handshake succeeded, so the
 * pool and the exchanges deal with TLS connections exactly as with plain ones, and a pooled one is
 * reused without a new handshake. A failed handshake fails the connect like a refused connection
 * ({@code OriginOutcome.CONNECT}: 502 or a stale copy, the origin marked down), with a one-line
 * reason; it is counted in {@code gateway_origin_tls_handshakes_total} and logged once per reason
 * ({@link TlsHandshakeLog}).
 */
public final class OriginClient implements OriginConnectionPool.Connector {

  /** Large decoded pieces: fewer objects per MiB; the codec slices, it does not copy. */
  private static final int MAX_CHUNK_BYTES = 256 * 1024;
  /** Origin response heads are trusted more than clients', but still bounded. */
  private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

  private final Transport transport;
  private final ByteBufAllocator allocator;
  private final GatewayMetrics metrics;
  /** Replaced by a reload; an exchange keeps the one it started with. */
  private volatile RequestBodyWatch.BodyRate bodyRate;

  /** Creates the client, with no minimum rate for request bodies; it holds no connection until asked. */
  public OriginClient(Transport transport, ByteBufAllocator allocator, GatewayMetrics metrics) {
    this(transport, allocator, metrics, 0, Duration.ofSeconds(1));
  }

  /**
   * Creates the client; it holds no connection until asked.
   *
   * @param minBodyBytesPerSecond the rate below which a client's request body ends its exchange
   *     ({@code timeouts.request-body-min-rate}); 0 for none
   * @param bodyRateWindow the client's reading time that rate is averaged over
   *     ({@code timeouts.request-body-rate-window})
   */
  public OriginClient(Transport transport, ByteBufAllocator allocator, GatewayMetrics metrics,
      long minBodyBytesPerSecond, Duration bodyRateWindow) {
    this.transport = requireNonNull(transport, "transport");
    this.allocator = requireNonNull(allocator, "allocator");
    this.metrics = requireNonNull(metrics, "metrics");
    this.bodyRate = rate(minBodyBytesPerSecond, bodyRateWindow);
  }

  /**
   * Sets the minimum rate of the request bodies of exchanges started from now on (a reload of
   * {@code timeouts.request-body-min-rate} and {@code timeouts.request-body-rate-window}).
   */
  public void bodyRate(long minBodyBytesPerSecond, Duration bodyRateWindow) {
    this.bodyRate = rate(minBodyBytesPerSecond, bodyRateWindow);
  }

  private static RequestBodyWatch.BodyRate rate(long minBodyBytesPerSecond, Duration bodyRateWindow) {
    if (minBodyBytesPerSecond < 0 || bodyRateWindow.isNegative() || bodyRateWindow.isZero()) {
      throw new IllegalArgumentException("body rate: " + minBodyBytesPerSecond + " per " + bodyRateWindow);
    }
    return new RequestBodyWatch.BodyRate(minBodyBytesPerSecond, bodyRateWindow.toNanos());
  }

  @Override
  public ChannelFuture connect(Upstream upstream, EventLoop loop) {
    OriginRoute route = upstream.route();
    OriginTls tls = upstream.tls();
    long connectMillis = route.config().connectTimeout().toMillis();
    ChannelFuture connected = new Bootstrap()
        .group(loop)
        .channel(transport.socketChannel())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, allocator)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectMillis)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              // The handshake gets the connect timeout again: connect-timeout bounds each step.
              ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), connectMillis));
            }
            ch.pipeline().addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
                .setMaxChunkSize(MAX_CHUNK_BYTES)
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES), false, false));
            ch.pipeline().addLast("exchange", new OriginChannelHandler());
          }
        })
        .connect(upstream.host(), upstream.port());
    return tls == null ? connected : afterHandshake(route, tls, connected);
  }

  /**
   * A future that completes when the TLS handshake of a connection being made has succeeded, or
   * fails (the connection closed) when the connect or the handshake fails.
   */
  private ChannelFuture afterHandshake(OriginRoute route, OriginTls tls, ChannelFuture connected) {
    Channel channel = connected.channel();
    ChannelPromise ready = channel.newPromise();
    connected.addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        ready.setFailure(f.cause());
        return;
      }
      // No read() here although AUTO_READ is off: SslHandler reads by itself while the handshake
      // needs bytes (readIfNeeded, when the engine wants to unwrap: from the client hello on), and
      // stops once it is done. The handshake completing leaves at most one read pending, which an
      // exchange or the pool's idle read would ask for anyway.
      SslHandler ssl = channel.pipeline().get(SslHandler.class);
      ssl.handshakeFuture().addListener((Future<Channel> handshake) -> handshakeEnded(route, tls, handshake, ready));
    });
    return ready;
  }

  private void handshakeEnded(OriginRoute route, OriginTls tls, Future<Channel> handshake, ChannelPromise ready) {
    if (handshake.isSuccess()) {
      metrics.originTlsHandshake(route.name(), TlsOutcome.OK);
      tls.failures().succeeded();
      ready.setSuccess();
      return;
    }
    OriginTls.Failure failure = OriginTls.classify(handshake.cause());
    String line = tls.describe(failure);
    metrics.originTlsHandshake(route.name(), failure.outcome());
    tls.failures().failed(line);
    ready.channel().close(); // SslHandler closes it too on most failures; a timeout may leave it open
    ready.setFailure(new OriginFailureException(line));
  }

  /**
   * Sends a request to an origin. Must be called on {@code loop}; events reach {@code listener} on it.
   *
   * @param request the head to send, already rewritten for the origin (target, Host, hop-by-hop)
   * @param body whether the caller will stream a body with {@link OriginExchange#writeBody}
   */
  public OriginExchange exchange(OriginRoute route, EventLoop loop, HttpRequest request, RequestBody body,
      OriginResponseListener listener) {
    OriginExchange exchange = new OriginExchange(route.order(request.uri()), loop, request, body, bodyRate, listener,
        metrics, OriginExchange.WhileDown.ONE_AT_A_TIME);
    exchange.start();
    return exchange;
  }

  /**
   * Sends a health probe to one upstream: like {@link #exchange}, but to that upstream only, and
   * sent even while it is down, when other requests are admitted one at a time
   * ({@link OriginHealth#tryTrial}).
   *
   * @param request built for the origin, as for {@link #exchange}
   */
  OriginExchange probe(Upstream upstream, EventLoop loop, HttpRequest request, OriginResponseListener listener) {
    OriginExchange exchange = new OriginExchange(List.of(upstream), loop, request, RequestBody.NONE,
        RequestBodyWatch.BodyRate.NONE, listener, metrics, OriginExchange.WhileDown.SENT_ANYWAY);
    exchange.start();
    return exchange;
  }

  /** The meters, for the probes this client sends. */
  GatewayMetrics metrics() {
    return metrics;
  }
}
