package fr.acclermont.gateway.origin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * The last handler of an origin connection: hands what the codec decodes to the exchange that
 * currently owns the connection. An idle pooled connection has no exchange; anything it receives
 * then is unexpected, and the connection is closed.
 */
final class OriginChannelHandler extends ChannelInboundHandlerAdapter {

  private @Nullable OriginExchange exchange;

  void bind(@Nullable OriginExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    OriginExchange current = exchange;
    if (current == null) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    current.onMessage(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    OriginExchange current = exchange;
    if (current != null) {
      current.onClosed(null);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    OriginExchange current = exchange;
    if (current != null) {
      current.onClosed(cause);
    }
    ctx.close();
  }
}
