package fr.acclermont.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpContent;

/**
 * Counts the response body bytes a client connection has sent, for the access log: the content of
 * every {@link HttpContent} (an error response's body included) and every {@link FileRegion} (a
 * zero-copy disk hit), once its write succeeded. A write that fails (the client left) is not
 * counted, so a cut response counts what reached the socket. Sits between the HTTP codec and
 * {@link RequestGuardHandler}, so it sees what the guard's refusals and the responders write; each
 * takes the difference across one request (responses are written one at a time, and write promises complete
 * in order, before the response's own completion listener).
 *
 * <p>Event loop only.
 */
final class SentBodyBytes extends ChannelOutboundHandlerAdapter {

  private long sent;

  /** The body bytes written successfully on this connection so far. */
  long sent() {
    return sent;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // Body bytes come as HttpContent, as bare buffers (slice pieces) or as file regions (disk hits).
    long bytes = msg instanceof HttpContent content ? content.content().readableBytes()
        : msg instanceof ByteBuf buf ? buf.readableBytes()
        : msg instanceof FileRegion region ? region.count() : 0;
    if (bytes > 0) {
      if (promise.isVoid()) {
        sent += bytes;
      } else {
        promise.addListener(f -> {
          if (f.isSuccess()) {
            sent += bytes;
          }
        });
      }
    }
    ctx.write(msg, promise);
  }
}
