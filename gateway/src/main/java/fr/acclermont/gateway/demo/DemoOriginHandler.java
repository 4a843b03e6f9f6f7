package fr.acclermont.gateway.demo;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one connection, one at a time and in order: control endpoints
 * ({@code /_origin/...}), books and blobs, with the test hooks and the injected faults.
 *
 * <p>Reads are explicit (AUTO_READ off): the next request is read only once the previous response
 * is fully written, so a client pipelining requests never makes the origin buffer responses.
 * Event-loop confined, one instance per connection.
 */
final class DemoOriginHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger logger = LoggerFactory.getLogger(DemoOriginHandler.class);

  private static final String CONTROL_PREFIX = "/_origin/";
  private static final String CATALOG_PATH = "/_origin/catalog";
  private static final String STATS_PATH = "/_origin/stats";
  private static final String STATS_RESET_PATH = "/_origin/stats/reset";
  private static final String GET_HEAD = "GET, HEAD";
  private static final String UPLOAD_BYTES = "x-demo-upload-bytes";
  private static final String UPLOAD_SHA256 = "x-demo-upload-sha256";
  /** Requests received while busy are only possible if something turned AUTO_READ back on. */
  private static final int MAX_QUEUED_REQUESTS = 16;

  private final DemoOriginOptions options;
  private final ResourceResolver resolver;
  private final OriginStats stats;
  private final byte[] catalogJson;
  private final BodyBytesCounter bodyBytes;
  private final HookMemory hookMemory;
  private final EncodedContent encodedContent;
  private final ArrayDeque<HttpRequest> queued = new ArrayDeque<>();
  private boolean busy;
  private boolean headersWritten;
  private boolean stalled;
  private boolean awaitingRequest;

  DemoOriginHandler(DemoOriginOptions options, ResourceResolver resolver, OriginStats stats,
      byte[] catalogJson, BodyBytesCounter bodyBytes, HookMemory hookMemory, EncodedContent encodedContent) {
    this.options = options;
    this.encodedContent = encodedContent;
    this.hookMemory = hookMemory;
    this.resolver = resolver;
    this.stats = stats;
    this.catalogJson = catalogJson;
    this.bodyBytes = bodyBytes;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    readNext(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // A read() may end with a read-complete and no complete request yet: ask again.
    if (awaitingRequest) {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest full) {
    awaitingRequest = false;
    if (stalled) {
      // A stalled response never ends, so nothing after it is answered; reading on only lets
      // us notice when the peer gives up and closes.
      readNext(ctx);
      return;
    }
    // Only the head matters (requests carry no meaningful body); a copy outlives the message,
    // which SimpleChannelInboundHandler releases on return (R1), so delayed answers leak nothing.
    HttpRequest request = new DefaultHttpRequest(
        full.protocolVersion(), full.method(), full.uri(), full.headers().copy());
    if (!isGetOrHead(full)) {
      // The upload sink answers with what it received; the summary rides along on the copy.
      request.headers().set(UPLOAD_BYTES, full.content().readableBytes());
      request.headers().set(UPLOAD_SHA256, UploadHooks.sha256(full.content()));
    }
    request.setDecoderResult(full.decoderResult());
    if (!busy) {
      handle(ctx, request);
    } else if (queued.size() < MAX_QUEUED_REQUESTS) {
      queued.add(request);
    } else {
      logger.warn("{} pipelined more than {} requests; closing", ctx.channel(), MAX_QUEUED_REQUESTS);
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      logger.debug("{} I/O error: {}", ctx.channel(), cause.toString());
    } else {
      logger.warn("{} failed", ctx.channel(), cause);
    }
    if (busy && !headersWritten && ctx.channel().isActive()) {
      FullHttpResponse response = SimpleResponses.empty(HttpResponseStatus.INTERNAL_SERVER_ERROR);
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      headersWritten = true;
      ctx.writeAndFlush(response).addListener(future -> ctx.close());
    } else {
      ctx.close();
    }
  }

  private void handle(ChannelHandlerContext ctx, HttpRequest request) {
    busy = true;
    headersWritten = false;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      bodyBytes.track(null);
      logger.debug("{} malformed request: {}", ctx.channel(), request.decoderResult().cause().toString());
      send(ctx, request, SimpleResponses.text(request, HttpResponseStatus.BAD_REQUEST, "malformed request\n"), false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = uri.rawPath();
    long latencyMillis = options.latency().toMillis();
    if (path.startsWith(CONTROL_PREFIX)) {
      bodyBytes.track(null);
      later(ctx, latencyMillis, () -> control(ctx, request, path, keepAlive));
      return;
    }
    stats.recordRequest(path, request.headers().get(HttpHeaderNames.RANGE));
    bodyBytes.track(path);
    if (!ResourceResolver.isContentPath(path)) {
      later(ctx, latencyMillis, () -> sendText(ctx, request, HttpResponseStatus.NOT_FOUND, keepAlive));
      return;
    }
    if (!isGetOrHead(request)) {
      if (path.startsWith(ResourceResolver.BLOBS_PREFIX)) {
        UploadHooks uploadHooks;
        try {
          uploadHooks = UploadHooks.parse(new QueryParameters(uri.parameters()));
        } catch (IllegalArgumentException e) {
          send(ctx, request, SimpleResponses.text(request, HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n"),
              keepAlive);
          return;
        }
        later(ctx, latencyMillis, () -> uploadReceipt(ctx, request, uploadHooks, keepAlive));
      } else {
        later(ctx, latencyMillis, () -> methodNotAllowed(ctx, request, GET_HEAD, keepAlive));
      }
      return;
    }
    ResponseHooks hooks;
    Fault fault;
    try {
      hooks = ResponseHooks.parse(new QueryParameters(uri.parameters()));
      fault = options.faultInjector().decide(request);
    } catch (IllegalArgumentException e) {
      logger.debug("{} bad test hook in {}: {}", ctx.channel(), request.uri(), e.getMessage());
      FullHttpResponse badRequest =
          SimpleResponses.text(request, HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
      send(ctx, request, badRequest, keepAlive);
      return;
    }
    // HTTP/1.0 has no chunks: a "chunked" body there ends with the connection.
    boolean closeDelimited = hooks.chunked() && !request.protocolVersion().isKeepAliveDefault();
    boolean keep = keepAlive && !hooks.close() && !closeDelimited;
    // Counted on arrival, so the order of requests decides the version, not their delays.
    boolean version2 = hooks.versionAfter() >= 0
        && hookMemory.next(path, "version-after=" + hooks.versionAfter()) >= hooks.versionAfter();
    later(ctx, latencyMillis + hooks.delayMillis(),
        () -> content(ctx, request, path, hooks, fault, version2, keep));
  }

  private void control(ChannelHandlerContext ctx, HttpRequest request, String path, boolean keepAlive) {
    switch (path) {
      case CATALOG_PATH, STATS_PATH -> {
        if (!isGetOrHead(request)) {
          methodNotAllowed(ctx, request, GET_HEAD, keepAlive);
          return;
        }
        byte[] json = path.equals(CATALOG_PATH) ? catalogJson : stats.toJson().getBytes(StandardCharsets.UTF_8);
        send(ctx, request, SimpleResponses.json(request, json), keepAlive);
      }
      case STATS_RESET_PATH -> {
        if (!HttpMethod.POST.equals(request.method())) {
          methodNotAllowed(ctx, request, "POST", keepAlive);
          return;
        }
        stats.reset();
        send(ctx, request, SimpleResponses.empty(HttpResponseStatus.NO_CONTENT), keepAlive);
      }
      default -> sendText(ctx, request, HttpResponseStatus.NOT_FOUND, keepAlive);
    }
  }

  private void content(ChannelHandlerContext ctx, HttpRequest request, String path,
      ResponseHooks hooks, Fault injected, boolean version2, boolean keepAlive) {
    if (injected.kind() == Fault.Kind.CLOSE) {
      ctx.close();
      return;
    }
    if (injected.kind() == Fault.Kind.STATUS) {
      HttpResponseStatus status = HttpResponseStatus.valueOf(injected.status());
      FullHttpResponse response = SimpleResponses.text(request, status, status + "\n");
      ResponsePlanner.applyHooks(response.headers(), hooks, null, System.currentTimeMillis());
      send(ctx, request, response, keepAlive);
      return;
    }
    Optional<Resource> found = resolver.resolve(path);
    if (found.isEmpty()) {
      sendText(ctx, request, HttpResponseStatus.NOT_FOUND, keepAlive);
      return;
    }
    Resource resource = version2 ? resolver.version2(found.get()) : found.get();
    CompletableFuture<EncodedContent.Choice> choice = encodedContent.choose(request, resource);
    if (choice.isDone() && !choice.isCompletedExceptionally()) {
      serve(ctx, request, path, hooks, injected, choice.join(), keepAlive);
      return;
    }
    // Being encoded on a compression thread: answer on this channel's event loop once it is done.
    choice.whenComplete((chosen, failure) -> ctx.executor().execute(() -> later(ctx, 0, () -> {
      if (failure != null) {
        throw new IllegalStateException("cannot encode " + path, failure);
      }
      serve(ctx, request, path, hooks, injected, chosen, keepAlive);
    })));
  }

  /** Sends {@code choice}'s representation, with the fault decided for it (or none). */
  private void serve(ChannelHandlerContext ctx, HttpRequest request, String path, ResponseHooks hooks,
      Fault injected, EncodedContent.Choice choice, boolean keepAlive) {
    Resource resource = choice.resource();
    ResponsePlanner.Plan plan = ResponsePlanner.plan(request, resource, hooks, System.currentTimeMillis());
    EncodedContent.addHeaders(plan.head().headers(), choice,
        plan.head().status().equals(HttpResponseStatus.NOT_MODIFIED));
    SimpleResponses.keepAlive(plan.head(), request, keepAlive);
    headersWritten = true;
    ChannelFuture headFuture = ctx.write(plan.head());
    ContentSource source = resource.source();
    long start = plan.bodyStart();
    long length = plan.bodyLength();
    if (choice.coding() == ContentCoding.IDENTITY) {
      // Offsets in an encoded body are not offsets in the object: those bytes count per path only.
      bodyBytes.trackObject(start);
    }
    Fault fault = injected.kind() == Fault.Kind.NONE ? resetOnce(path, hooks, start, length) : injected;
    long sent = fault.bodyBytesBeforeCut(length);
    if (fault.kind() == Fault.Kind.RESET) {
      writeBody(ctx, headFuture, source, start, sent, false).addListener(future -> reset(ctx));
    } else if (fault.kind() == Fault.Kind.STALL && sent < length) {
      writeBody(ctx, headFuture, source, start, sent, false).addListener(future -> {
        if (!future.isSuccess()) {
          ctx.close();
        } else if (fault.stallsForever()) {
          stalled = true;
          readNext(ctx);
        } else {
          ctx.executor().schedule(
              () -> finish(ctx, writeBody(ctx, headFuture, source, start + sent, length - sent, true), keepAlive),
              fault.stall().toNanos(), TimeUnit.NANOSECONDS);
        }
      });
    } else {
      finish(ctx, writeBody(ctx, headFuture, source, start, length, true), keepAlive);
    }
  }

  /**
   * The {@code reset-once-at} fault: a reset at that object offset for the first response of the
   * path whose body contains it; none otherwise (a HEAD, a 304 or a range elsewhere never uses it).
   */
  private Fault resetOnce(String path, ResponseHooks hooks, long start, long length) {
    long at = hooks.resetOnceAt();
    if (at >= start && at < start + length && hookMemory.firstTime(path, "reset-once-at=" + at)) {
      return Fault.resetAfter(at - start);
    }
    return Fault.none();
  }

  /** Writes {@code length} body bytes (and the end of the message if asked) after the head. */
  private static ChannelFuture writeBody(ChannelHandlerContext ctx, ChannelFuture headFuture,
      ContentSource source, long start, long length, boolean endsMessage) {
    if (length == 0 && !endsMessage) {
      ctx.flush();
      return headFuture;
    }
    return ctx.writeAndFlush(new ContentStream(source, start, length, endsMessage));
  }

  /**
   * The upload sink: any method but GET and HEAD on {@code /blobs/...} (POST, PUT, DELETE, PATCH,
   * or one it does not know, such as PURGE) answers what it received, as JSON, shaped by the
   * {@link UploadHooks}.
   */
  private void uploadReceipt(ChannelHandlerContext ctx, HttpRequest request, UploadHooks hooks, boolean keepAlive) {
    String json = "{\"method\":\"" + request.method() + "\",\"bytes\":" + request.headers().get(UPLOAD_BYTES)
        + ",\"sha256\":\"" + request.headers().get(UPLOAD_SHA256) + "\"}";
    FullHttpResponse response = SimpleResponses.json(request, hooks.status(), json.getBytes(StandardCharsets.UTF_8));
    hooks.apply(response.headers());
    send(ctx, request, response, keepAlive);
  }

  private void methodNotAllowed(ChannelHandlerContext ctx, HttpRequest request, String allow, boolean keepAlive) {
    FullHttpResponse response =
        SimpleResponses.text(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allow + "\n");
    response.headers().set(HttpHeaderNames.ALLOW, allow);
    send(ctx, request, response, keepAlive);
  }

  private void sendText(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, boolean keepAlive) {
    send(ctx, request, SimpleResponses.text(request, status, status + "\n"), keepAlive);
  }

  private void send(ChannelHandlerContext ctx, HttpRequest request, HttpResponse response, boolean keepAlive) {
    SimpleResponses.keepAlive(response, request, keepAlive);
    headersWritten = true;
    finish(ctx, ctx.writeAndFlush(response), keepAlive);
  }

  /** Once the response is written: next request, or close (B7: after the last write). */
  private void finish(ChannelHandlerContext ctx, ChannelFuture lastWrite, boolean keepAlive) {
    lastWrite.addListener(future -> {
      if (!future.isSuccess() || !keepAlive) {
        ctx.close();
        return;
      }
      busy = false;
      HttpRequest next = queued.poll();
      if (next != null) {
        handle(ctx, next);
      } else {
        readNext(ctx);
      }
    });
  }

  private void readNext(ChannelHandlerContext ctx) {
    awaitingRequest = true;
    ctx.read();
  }

  /** Runs {@code task} after {@code delayMillis} on the event loop, never blocking it. */
  private void later(ChannelHandlerContext ctx, long delayMillis, Runnable task) {
    Runnable guarded = () -> {
      if (!ctx.channel().isActive()) {
        return;
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        exceptionCaught(ctx, e);
      }
    };
    if (delayMillis <= 0) {
      guarded.run();
    } else {
      ctx.executor().schedule(guarded, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Closes with SO_LINGER 0, so the kernel sends RST instead of FIN. */
  private static void reset(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    }
    ctx.close();
  }

  private static boolean isGetOrHead(HttpRequest request) {
    return HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
  }
}
