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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management endpoints: {@code /metrics} (Prometheus text), {@code /healthz} (the process
 * answers) and {@code /readyz} (the gateway can serve clients; never depends on the origin, so an
 * offline school stays ready). With a token, {@link AdminAccess} decides first which requests
 * need it; a refused one gets 401 whatever its path or method.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  /** Longer paths are cut in the log line, so that one request cannot flood it. */
  private static final int MAX_LOGGED_PATH = 200;

  private final GatewayMetrics metrics;
  private final Supplier<Readiness> ready;
  private final AdminAccess access;

  AdminHandler(GatewayMetrics metrics, Supplier<Readiness> ready, AdminAccess access) {
    this.metrics = metrics;
    this.ready = ready;
    this.access = access;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(ctx, request, HttpResponseStatus.BAD_REQUEST, TEXT, "malformed request\n", true);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    // Before the method and the path are looked at: a refused client learns nothing of either.
    AdminAccess.Refusal refusal = access.check(path, request.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (refusal != null) {
      // The client, the path and why; never the Authorization value (a wrong token may be a
      // right one mistyped, or the token of another gateway).
      log.info("401 to {} for {}: {}", ctx.channel().remoteAddress(), loggedPath(request.uri()), refusal.reason());
      FullHttpResponse response = response(ctx, request, HttpResponseStatus.UNAUTHORIZED, TEXT,
          "unauthorized: " + refusal.reason() + "\n");
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, AdminAccess.CHALLENGE);
      send(ctx, request, response, false);
      return;
    }
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "GET only\n", false);
      return;
    }
    switch (path) {
      case "/metrics" -> respond(ctx, request, HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.scrape(), false);
      case "/healthz" -> respond(ctx, request, HttpResponseStatus.OK, TEXT, "ok\n", false);
      case "/readyz" -> {
        Readiness readiness = ready.get();
        String text = (readiness.ready() ? "ready" : "not ready")
            + (readiness.detail().isEmpty() ? "" : ": " + readiness.detail()) + "\n";
        respond(ctx, request, readiness.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            TEXT, text, false);
      }
      default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, TEXT,
          "not found: try /metrics, /healthz or /readyz\n", false);
    }
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
      String contentType, String body, boolean close) {
    send(ctx, request, response(ctx, request, status, contentType, body), close);
  }

  private static FullHttpResponse response(ChannelHandlerContext ctx, FullHttpRequest request,
      HttpResponseStatus status, String contentType, String body) {
    ByteBuf content = ctx.alloc().buffer();
    if (!HttpMethod.HEAD.equals(request.method())) {
      content.writeCharSequence(body, StandardCharsets.UTF_8);
    }
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return response;
  }

  private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
      boolean close) {
    boolean keepAlive = !close && HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * The path of {@code uri} as the client wrote it, for a log line: without the query (it may hold
   * secrets), control characters replaced, cut after {@value #MAX_LOGGED_PATH} characters.
   */
  private static String loggedPath(String uri) {
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    StringBuilder out = new StringBuilder(Math.min(path.length(), MAX_LOGGED_PATH) + 3);
    for (int i = 0; i < path.length() && i < MAX_LOGGED_PATH; i++) {
      char c = path.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return path.length() > MAX_LOGGED_PATH ? out.append("...").toString() : out.toString();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
