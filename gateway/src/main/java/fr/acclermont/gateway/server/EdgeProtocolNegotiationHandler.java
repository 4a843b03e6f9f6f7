package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.GatewayMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after the {@link SslHandler} of an HTTPS connection: waits for the handshake, counts it
 * ({@code gateway_client_tls_handshakes_total}), then installs the pipeline of the protocol ALPN
 * chose and removes itself: {@code h2} ({@link Http2Edge}) or {@code http/1.1}; a client without
 * ALPN gets HTTP/1.1 too.
 *
 * <p>The connection does not auto-read: this handler asks for reads until the handshake is done,
 * holds what the TLS layer decodes meanwhile, and hands it on once the pipeline is in place, after
 * a {@code channelActive} for the new handlers (they missed the real one, which started the
 * handshake).
 *
 * <p>A failed handshake (plain HTTP to the TLS port, a client not trusting the certificate, TLS
 * 1.1) is logged at DEBUG only: a LAN of tablets must not flood the log. The connection is closed
 * by the {@link SslHandler}. One instance per connection, on its event loop.
 */
final class EdgeProtocolNegotiationHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(EdgeProtocolNegotiationHandler.class);

  private final EdgeServerInitializer initializer;
  private final GatewayMetrics metrics;
  private final Queue<Object> held = new ArrayDeque<>(2);
  private boolean settled;

  EdgeProtocolNegotiationHandler(EdgeServerInitializer initializer, GatewayMetrics metrics) {
    this.initializer = requireNonNull(initializer, "initializer");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read(); // the client's hello: nothing else reads yet
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (settled) {
      ctx.fireChannelRead(msg);
    } else {
      held.add(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!settled) {
      ctx.read(); // more of the handshake
    } else {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof SslHandshakeCompletionEvent handshake)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    if (!handshake.isSuccess()) {
      metrics.clientTlsHandshake(false);
      log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), handshake.cause().toString());
      release();
      ctx.close();
      return;
    }
    metrics.clientTlsHandshake(true);
    String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
    configure(ctx, protocol == null ? ApplicationProtocolNames.HTTP_1_1 : protocol);
  }

  /** Installs the pipeline of {@code protocol} after this handler, and hands it the connection. */
  private void configure(ChannelHandlerContext ctx, String protocol) {
    switch (protocol) {
      case ApplicationProtocolNames.HTTP_1_1 -> initializer.configureHttp1(ctx.pipeline());
      case ApplicationProtocolNames.HTTP_2 -> initializer.configureHttp2(ctx.pipeline());
      default -> {
        // ALPN only selects what EdgeTls offers: anything else is a bug, not a client.
        log.warn("TLS: ALPN chose {}, which has no pipeline; closing", protocol);
        release();
        ctx.close();
        return;
      }
    }
    settled = true;
    ctx.fireChannelActive();
    while (!held.isEmpty()) {
      ctx.fireChannelRead(held.poll());
    }
    ctx.fireChannelReadComplete();
    ctx.pipeline().remove(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (settled) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    // Before the handshake is done: garbage or plain HTTP on the TLS port. The handshake event that
    // follows counts it; the SslHandler closes the connection.
    log.debug("TLS connection from {} broken before the handshake: {}", ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.poll());
    }
  }
}
