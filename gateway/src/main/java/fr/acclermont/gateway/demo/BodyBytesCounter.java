package fr.acclermont.gateway.demo;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;

/**
 * Counts the body bytes of each response in {@link OriginStats} once they are written to the
 * socket, so a client that stops reading, or a fault that cuts the body, counts only what left.
 *
 * <p>Sits between the HTTP codec and {@code ChunkedWriteHandler}. One instance per channel; the
 * handler tells it which path the current response belongs to. Event-loop confined.
 */
final class BodyBytesCounter extends ChannelOutboundHandlerAdapter {

  private final OriginStats stats;
  private String path;

  BodyBytesCounter(OriginStats stats) {
    this.stats = stats;
  }

  /** Attributes the bytes written from now on to {@code path}, or to nothing when {@code null}. */
  void track(String path) {
    this.path = path;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    String counted = path;
    if (counted != null && msg instanceof HttpContent) {
      // Read before writing: once written, the message belongs to the next handler (R2).
      int bytes = ((HttpContent) msg).content().readableBytes();
      if (bytes > 0) {
        ChannelPromise unvoid = promise.unvoid();
        unvoid.addListener(future -> {
          if (future.isSuccess()) {
            stats.recordBytes(counted, bytes);
          }
        });
        ctx.write(msg, unvoid);
        return;
      }
    }
    ctx.write(msg, promise);
  }
}
