package fr.acclermont.gateway.demo;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;

/**
 * Counts the body bytes of each response in {@link OriginStats} once they are written to the
 * socket, so a client that stops reading, or a fault that cuts the body, counts only what left.
 * The bytes of an object's body are recorded with their offsets in the object.
 *
 * <p>Sits between the HTTP codec and {@code ChunkedWriteHandler}. One instance per channel; the
 * handler tells it which path the current response belongs to and, for an object's body, where
 * in the object the body starts. Event-loop confined.
 */
final class BodyBytesCounter extends ChannelOutboundHandlerAdapter {

  private final OriginStats stats;
  private String path;
  private OriginStats.ObjectBody objectBody;
  /** The object offset of the next body byte written, when {@link #objectBody} is set. */
  private long position;

  BodyBytesCounter(OriginStats stats) {
    this.stats = stats;
  }

  /**
   * Attributes the body bytes written from now on to {@code path} (as text, not the object's
   * bytes), or to nothing when {@code null}.
   */
  void track(String path) {
    this.path = path;
    this.objectBody = null;
  }

  /**
   * Records the body bytes written from now on as the object's bytes at the tracked path, the
   * first one at offset {@code start} in the object.
   */
  void trackObject(long start) {
    if (path != null) {
      objectBody = stats.objectBody(path);
      position = start;
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    String counted = path;
    if (counted != null && msg instanceof HttpContent) {
      // Read before writing: once written, the message belongs to the next handler (R2).
      int bytes = ((HttpContent) msg).content().readableBytes();
      if (bytes > 0) {
        OriginStats.ObjectBody body = objectBody;
        long offset = position;
        position += bytes;
        ChannelPromise unvoid = promise.unvoid();
        unvoid.addListener(future -> {
          if (!future.isSuccess()) {
            return;
          }
          if (body != null) {
            body.sent(offset, bytes);
          } else {
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
