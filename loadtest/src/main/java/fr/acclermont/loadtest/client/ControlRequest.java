package fr.acclermont.loadtest.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request outside the measured load, on a connection of its own: reading the catalog and a
 * manifest before the clock starts, resetting and reading the origin's stats around a round. The
 * response is aggregated, so these must be small.
 */
final class ControlRequest extends SimpleChannelInboundHandler<FullHttpResponse> {

  /** The catalog and manifests are tens of KiB; more means the target is not what we think. */
  private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  private final CompletableFuture<SimpleResponse> result = new CompletableFuture<>();

  private ControlRequest() {}

  /**
   * Sends {@code method path} to {@code target} at {@code address}, over TLS when {@code tls} is
   * given (the target is https); the future ends within {@code timeout} of the connection,
   * whatever the server does.
   */
  static CompletableFuture<SimpleResponse> send(Bootstrap bootstrap, InetSocketAddress address, Target target,
      SslContext tls, HttpMethod method, String path, Duration timeout) {
    ControlRequest handler = new ControlRequest();
    bootstrap.clone()
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (tls != null) {
              ch.pipeline().addLast("tls", ClientTls.newHandler(tls, ch, target));
            }
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES), handler);
          }
        })
        .connect(address)
        .addListener((ChannelFutureListener) connect -> {
          if (!connect.isSuccess()) {
            handler.result.completeExceptionally(connect.cause());
            return;
          }
          Channel channel = connect.channel();
          channel.eventLoop().schedule(() -> {
            if (handler.result.completeExceptionally(new TimeoutException(
                method + " " + target + path + ": no response within " + timeout.toMillis() + " ms"))) {
              channel.close();
            }
          }, timeout.toNanos(), TimeUnit.NANOSECONDS);
          channel.writeAndFlush(request(target, method, path));
        });
    return handler.result;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    if (response.decoderResult().isFailure()) {
      result.completeExceptionally(new IOException("malformed response: " + response.decoderResult().cause()));
    } else {
      result.complete(new SimpleResponse(response.status().code(), ByteBufUtil.getBytes(response.content())));
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    result.completeExceptionally(new IOException("connection closed before a complete response"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    result.completeExceptionally(cause);
    ctx.close();
  }

  private static FullHttpRequest request(Target target, HttpMethod method, String path) {
    FullHttpRequest request = new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1, method, target.requestTarget(path), Unpooled.EMPTY_BUFFER);
    request.headers()
        .set(HttpHeaderNames.HOST, target.hostHeader())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(HttpHeaderNames.USER_AGENT, "textbook-loadtest")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return request;
  }
}
