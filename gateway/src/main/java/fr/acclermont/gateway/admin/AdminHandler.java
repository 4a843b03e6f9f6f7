package fr.acclermont.gateway.admin;

import fr.acclermont.gateway.metrics.GatewayMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The management endpoints: {@code /metrics} (Prometheus text), {@code /healthz} (the process
 * answers) and {@code /readyz} (the gateway can serve clients; never depends on the origin, so an
 * offline school stays ready).
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final GatewayMetrics metrics;
  private final Supplier<Readiness> ready;

  AdminHandler(GatewayMetrics metrics, Supplier<Readiness> ready) {
    this.metrics = metrics;
    this.ready = ready;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", "malformed request\n", true);
      return;
    }
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "GET only\n", false);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    switch (path) {
      case "/metrics" -> respond(ctx, request, HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.scrape(), false);
      case "/healthz" -> respond(ctx, request, HttpResponseStatus.OK, "text/plain; charset=utf-8", "ok\n", false);
      case "/readyz" -> {
        Readiness readiness = ready.get();
        String text = (readiness.ready() ? "ready" : "not ready")
            + (readiness.detail().isEmpty() ? "" : ": " + readiness.detail()) + "\n";
        respond(ctx, request, readiness.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            "text/plain; charset=utf-8", text, false);
      }
      default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
          "not found: try /metrics, /healthz or /readyz\n", false);
    }
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
      String contentType, String body, boolean close) {
    ByteBuf content = ctx.alloc().buffer();
    if (!HttpMethod.HEAD.equals(request.method())) {
      content.writeCharSequence(body, StandardCharsets.UTF_8);
    }
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    boolean keepAlive = !close && HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
