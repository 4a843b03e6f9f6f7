package fr.acclermont.gateway.admin;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.prefetch.PrefetchStatus;
import fr.acclermont.gateway.prefetch.Prefetcher;
import fr.acclermont.gateway.reload.ReloadOutcome;
import fr.acclermont.gateway.server.Purges;
import fr.acclermont.gateway.status.StatusBoard;
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
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management endpoints: {@code /metrics} (Prometheus text), {@code /healthz} (the process
 * answers) and {@code /readyz} (the gateway can serve clients; never depends on the origin, so an
 * offline school stays ready), {@code POST /purge} ({@link Purges}), and {@code GET /prefetch}
 * (the prefetch's status, JSON) and {@code POST /prefetch} ("prefetch now", {@link Prefetcher}). With a token,
 * {@link AdminAccess} decides first which requests need it; a refused one gets 401 whatever its
 * path or method.
 *
 * <p>A purge answers when it is done, off the event loop: meanwhile the connection reads nothing
 * (requests pipelined behind it wait their turn, answered in order) and its read timeout is
 * suspended. One handler per connection; its state is its event loop's.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";
  private static final String HTML = "text/html; charset=utf-8";
  /** How long a browser stays logged in. */
  private static final long LOGIN_SECONDS = 8 * 3600;
  /** Longer paths are cut in the log line, so that one request cannot flood it. */
  private static final int MAX_LOGGED_PATH = 200;

  private final GatewayMetrics metrics;
  private final Supplier<Readiness> ready;
  private final AdminAccess access;
  private final Purges purges;
  private final StatusBoard status;
  private final Prefetcher prefetcher;
  private final Supplier<CompletableFuture<ReloadOutcome>> reload;
  /** Whether a purge or reload of this connection runs: later requests wait in {@link #waiting}. */
  private boolean busy;
  private final Queue<FullHttpRequest> waiting = new ArrayDeque<>();

  AdminHandler(GatewayMetrics metrics, Supplier<Readiness> ready, AdminAccess access, Purges purges,
      Prefetcher prefetcher, StatusBoard status, Supplier<CompletableFuture<ReloadOutcome>> reload) {
    this.status = status;
    this.reload = reload;
    this.metrics = metrics;
    this.ready = ready;
    this.access = access;
    this.purges = purges;
    this.prefetcher = prefetcher;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (busy) {
      waiting.add(request.retain()); // answered after the purge or reload, in order
      return;
    }
    handle(ctx, request);
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(ctx, request, HttpResponseStatus.BAD_REQUEST, TEXT, "malformed request\n", true);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    // Before the method and the path are looked at: a refused client learns nothing of either.
    AdminAccess.Refusal refusal = access.check(path, request.headers().get(HttpHeaderNames.AUTHORIZATION),
        cookie(request, AdminAccess.COOKIE));
    if (refusal != null && path.equals("/") && HttpMethod.GET.equals(request.method())) {
      // A browser: the login form, not a bare 401 text.
      log.info("401 to {} for /: {}", ctx.channel().remoteAddress(), refusal.reason());
      FullHttpResponse response = response(ctx, request, HttpResponseStatus.UNAUTHORIZED, HTML,
          StatusBoard.loginPage(lang(request), request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE),
              refusal == AdminAccess.Refusal.WRONG));
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, AdminAccess.CHALLENGE);
      send(ctx, request, response, false);
      return;
    }
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
    if (path.equals("/purge")) {
      purge(ctx, request);
      return;
    }
    if (path.equals(AdminAccess.LOGIN)) {
      login(ctx, request);
      return;
    }
    if (path.equals("/reload")) {
      reload(ctx, request);
      return;
    }
    if (path.equals("/prefetch")) {
      prefetch(ctx, request);
      return;
    }
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      methodNotAllowed(ctx, request, "GET, HEAD", "GET only\n");
      return;
    }
    switch (path) {
      case "/" -> respond(ctx, request, HttpResponseStatus.OK, HTML,
          status.html(lang(request), request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE)), false);
      case "/status.json" -> respond(ctx, request, HttpResponseStatus.OK, JSON, status.json(), false);
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
          "not found: try /, /status.json, /metrics, /healthz, /readyz, POST /purge, /prefetch or /reload\n", false);
    }
  }

  /**
   * {@code GET /prefetch}: 200 with the prefetch's status as JSON ({@link PrefetchStatus#toJson}).
   * {@code POST /prefetch} ("prefetch now"): starts a run at once, outside the windows, and answers
   * 202 with the status ({@code running}); 409 with the status ({@code idle}) when prefetching is
   * off (no {@code prefetch.lists}). 405 for another method.
   */
  private void prefetch(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method())) {
      respond(ctx, request, HttpResponseStatus.OK, JSON, prefetcher.status().toJson() + "\n", false);
      return;
    }
    if (!HttpMethod.POST.equals(request.method())) {
      methodNotAllowed(ctx, request, "GET, HEAD, POST", "GET /prefetch for the status, POST /prefetch to start a run now\n");
      return;
    }
    PrefetchStatus started = prefetcher.startNow();
    boolean off = started.state() != PrefetchStatus.State.RUNNING;
    if (!off) {
      log.info("prefetch run asked for by {}", ctx.channel().remoteAddress());
    }
    respond(ctx, request, off ? HttpResponseStatus.CONFLICT : HttpResponseStatus.ACCEPTED, JSON,
        started.toJson() + "\n", false);
  }

  /**
   * {@code POST /purge?url=...} or {@code ?prefix=...}: 200 with {@code {"objects":N,"bytes":B}}
   * once done, 400 with why for parameters that name nothing to purge, 405 for another method.
   */
  private void purge(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      methodNotAllowed(ctx, request, "POST", "POST only: POST /purge?url=<path or URL> or POST /purge?prefix=<path prefix>\n");
      return;
    }
    String what;
    CompletableFuture<Purges.Dropped> done;
    try {
      PurgeRequest asked = PurgeRequest.of(request);
      if (asked.kind().equals("url")) {
        CacheKey key = purges.urlKey(asked.value());
        what = "url " + key.origin() + ':' + Purges.masked(key.pathAndQuery());
        done = purges.url(key);
      } else {
        purges.checkPrefix(asked.value());
        what = "prefix " + Purges.masked(asked.value());
        done = purges.prefix(asked.value());
      }
    } catch (PurgeRequest.MalformedException | Purges.RefusedException e) {
      log.debug("400 to {} for a purge: {}", ctx.channel().remoteAddress(), e.getMessage());
      respond(ctx, request, HttpResponseStatus.BAD_REQUEST, TEXT, e.getMessage() + "\n", false);
      return;
    }
    long start = System.nanoTime();
    String asked = what;
    answerWhenDone(ctx, request, done, (dropped, failure) -> purged(ctx, request, asked, dropped, failure, start));
  }

  /**
   * {@code POST /reload}: reloads the configuration file as SIGHUP does, and answers once done:
   * 200 with the outcome's line when applied or unchanged, 409 when refused (invalid, or a change
   * that needs a restart: the running configuration is kept). 405 for another method.
   */
  private void reload(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      methodNotAllowed(ctx, request, "POST", "POST /reload reloads the configuration file\n");
      return;
    }
    log.info("reload asked for by {}", ctx.channel().remoteAddress());
    answerWhenDone(ctx, request, reload.get(), (outcome, failure) -> {
      if (outcome == null) {
        respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "reload failed: " + failure + "\n", true);
      } else {
        respond(ctx, request, outcome.refused() ? HttpResponseStatus.CONFLICT : HttpResponseStatus.OK, TEXT,
            outcome.result().label() + ": " + outcome.message() + "\n", false);
      }
    });
  }

  /** 405 with the methods allowed. */
  private void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest request, String allow, String body) {
    FullHttpResponse response = response(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, body);
    response.headers().set(HttpHeaderNames.ALLOW, allow);
    send(ctx, request, response, false);
  }

  /**
   * Answers {@code request} when {@code done} completes, on the connection's loop: meanwhile the
   * connection reads nothing (the requests pipelined after it wait, answered in order) and has no
   * read timeout (a purge of a large disk tier may take a while).
   */
  private <T> void answerWhenDone(ChannelHandlerContext ctx, FullHttpRequest request, CompletableFuture<T> done,
      java.util.function.BiConsumer<@Nullable T, @Nullable Throwable> answer) {
    busy = true;
    ctx.channel().config().setAutoRead(false);
    if (ctx.pipeline().get(AdminServer.READ_TIMEOUT) != null) {
      ctx.pipeline().remove(AdminServer.READ_TIMEOUT);
    }
    request.retain();
    done.whenComplete((result, failure) -> {
      try {
        ctx.executor().execute(() -> {
          try {
            answer.accept(result, failure);
          } finally {
            request.release();
            resume(ctx);
          }
        });
      } catch (RejectedExecutionException shuttingDown) {
        request.release();
      }
    });
  }

  private void purged(ChannelHandlerContext ctx, FullHttpRequest request, String what,
      Purges.@Nullable Dropped dropped, @Nullable Throwable failure,
      long start) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (dropped == null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      log.warn("purge of {} by {} failed after {} ms: {}", printable(what), ctx.channel().remoteAddress(), millis,
          String.valueOf(cause));
      respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "purge failed: " + cause + "\n", true);
      return;
    }
    log.info("purge of {} by {}: {} objects, {} bytes dropped in {} ms", printable(what),
        ctx.channel().remoteAddress(), dropped.objects(), dropped.bytes(), millis);
    respond(ctx, request, HttpResponseStatus.OK, JSON,
        "{\"objects\":" + dropped.objects() + ",\"bytes\":" + dropped.bytes() + "}\n", false);
  }

  /**
   * {@code POST /login} with the form field {@code token}: the token goes in an HttpOnly,
   * SameSite=Strict cookie and the browser is sent to the status page (303); a wrong one gets the
   * form again (401). Without a configured token there is nothing to log in to: straight to the page.
   */
  private void login(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      redirect(ctx, request, "/", null);
      return;
    }
    String token = new QueryStringDecoder(request.content().toString(StandardCharsets.UTF_8), false)
        .parameters().getOrDefault("token", List.of("")).get(0).strip();
    if (access.required() && !access.matches(token)) {
      log.info("401 to {} for /login: wrong token", ctx.channel().remoteAddress());
      FullHttpResponse response = response(ctx, request, HttpResponseStatus.UNAUTHORIZED, HTML,
          StatusBoard.loginPage(lang(request), request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE), true));
      send(ctx, request, response, false);
      return;
    }
    redirect(ctx, request, "/", access.required()
        ? AdminAccess.COOKIE + "=" + token + "; Path=/; Max-Age=" + LOGIN_SECONDS + "; HttpOnly; SameSite=Strict" : null);
  }

  private static void redirect(ChannelHandlerContext ctx, FullHttpRequest request, String location,
      @Nullable String setCookie) {
    FullHttpResponse response = response(ctx, request, HttpResponseStatus.SEE_OTHER, TEXT, "see " + location + "\n");
    response.headers().set(HttpHeaderNames.LOCATION, location);
    if (setCookie != null) {
      response.headers().set(HttpHeaderNames.SET_COOKIE, setCookie);
    }
    send(ctx, request, response, false);
  }

  /** The {@code lang} query parameter, or null. */
  private static @Nullable String lang(FullHttpRequest request) {
    List<String> lang = new QueryStringDecoder(request.uri()).parameters().get("lang");
    return lang == null || lang.isEmpty() ? null : lang.get(0);
  }

  /** The value of the cookie {@code name}, or null. */
  private static @Nullable String cookie(FullHttpRequest request, String name) {
    for (String field : request.headers().getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(field)) {
        if (cookie.name().equals(name)) {
          return cookie.value();
        }
      }
    }
    return null;
  }

  /** After a purge: the requests that waited are handled in order, then the connection reads again. */
  private void resume(ChannelHandlerContext ctx) {
    busy = false;
    if (!ctx.channel().isActive()) {
      releaseWaiting();
      return;
    }
    if (ctx.pipeline().get(AdminServer.READ_TIMEOUT) == null) {
      ctx.pipeline().addFirst(AdminServer.READ_TIMEOUT, new ReadTimeoutHandler(AdminServer.READ_TIMEOUT_SECONDS));
    }
    while (!busy && !waiting.isEmpty()) {
      FullHttpRequest next = waiting.poll();
      try {
        handle(ctx, next);
      } finally {
        next.release();
      }
    }
    if (!busy) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void releaseWaiting() {
    FullHttpRequest next;
    while ((next = waiting.poll()) != null) {
      next.release();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseWaiting();
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
    return printable(query < 0 ? uri : uri.substring(0, query));
  }

  /** {@code text} for a log line: control characters replaced, cut after {@value #MAX_LOGGED_PATH} characters. */
  private static String printable(String path) {
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
