package fr.acclermont.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own short answers (4xx, 5xx): a status, a one-line text body, never a stack trace.
 */
public final class ErrorResponses {

  private ErrorResponses() {
  }

  /**
   * Builds an error response.
   *
   * @param close whether the connection closes after it ({@code Connection: close})
   */
  public static FullHttpResponse create(ChannelHandlerContext ctx, HttpResponseStatus status, String message,
      boolean close) {
    ByteBuf body = ctx.alloc().buffer();
    body.writeCharSequence(status.code() + " " + status.reasonPhrase() + ": " + message + "\n", StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return response;
  }

  /** Writes an error response and, if {@code close}, closes the connection once it is sent (STYLE B7). */
  public static ChannelFuture send(ChannelHandlerContext ctx, HttpResponseStatus status, String message,
      boolean close) {
    ChannelFuture future = ctx.writeAndFlush(create(ctx, status, message, close));
    if (close) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
    return future;
  }
}
