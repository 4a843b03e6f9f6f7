package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.GatewayMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts a client connection in {@code gateway_connections_active} while it is open, once per
 * connection whatever its protocol: on an HTTP/2 connection the streams are not connections (they
 * are counted in {@code gateway_http2_streams_total}). In the connection's pipeline, after TLS.
 * One instance per connection, on its event loop.
 */
final class ConnectionCounter extends ChannelInboundHandlerAdapter {

  private final GatewayMetrics metrics;
  private boolean counted;

  ConnectionCounter(GatewayMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!counted) { // the HTTPS negotiation fires channelActive again for the protocol's handlers
      counted = true;
      metrics.connectionOpened();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (counted) {
      counted = false;
      metrics.connectionClosed();
    }
    ctx.fireChannelInactive();
  }
}
