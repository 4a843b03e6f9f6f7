package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.security.Entitlements;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-connection driver: validates each request, chooses how to answer it (from the store or
 * through the origin) and hands the connection's events to that {@link Responder}.
 *
 * <p>One request at a time: the connection does not auto-read, and the next request is processed
 * only when the previous response is complete, so responses are always in request order. A socket
 * read may decode more than the current request (a pipelined next request, or body bytes the
 * responder has not asked for yet): those messages wait in {@code pending}, which holds at most
 * one read's worth because nothing more is read until it drains. (Netty's FlowControlHandler does
 * this job too, but loses a {@code read()} issued from inside its own dispatch, which is exactly
 * what a response completing synchronously does.)
 *
 * <p>Event loop only.
 */
final class EdgeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(EdgeHandler.class);

  /** Fired into the pipeline of every connection when the gateway starts draining. */
  static final Object DRAIN = new Object();
  /** How long an unwanted request body is read and dropped before the connection closes. */
  private static final long LINGER_MILLIS = 2000;
  /** Counts the requests whose body is read on after their response, so a linger task knows its own. */
  private int finishings;

  private final GatewayServices services;
  private final RequestGuard guard;
  private final RequestHeadTimeoutHandler headTimeout;
  private final ResponderChooser chooser;
  /** Counts the response body bytes sent, for the access log; null when it is off. */
  private final @Nullable SentBodyBytes sentBodyBytes;
  private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable Responder responder;
  private @Nullable ClientRequest current;
  private boolean requestBodyDone = true;
  private boolean discardingBody;
  private boolean bodyDemand;
  private boolean closing;
  private boolean lingering;
  /** The connection is being closed because the client took none of its response for idle-write. */
  private boolean writeStalled;
  /** The response is complete; the rest of its request is read and dropped before the next one. */
  private boolean finishingRequest;
  /** On the plain listener with {@code server.redirect-to-https}: where GET and HEAD are sent. */
  private final @Nullable HttpsRedirect redirect;

  EdgeHandler(GatewayServices services, RequestGuard guard, RequestHeadTimeoutHandler headTimeout,
      @Nullable SentBodyBytes sentBodyBytes) {
    this(services, guard, headTimeout, sentBodyBytes, null);
  }

  EdgeHandler(GatewayServices services, RequestGuard guard, RequestHeadTimeoutHandler headTimeout,
      @Nullable SentBodyBytes sentBodyBytes, @Nullable HttpsRedirect redirect) {
    this.redirect = redirect;
    this.services = requireNonNull(services, "services");
    this.guard = requireNonNull(guard, "guard");
    this.headTimeout = requireNonNull(headTimeout, "headTimeout");
    this.chooser = new ResponderChooser(services);
    this.sentBodyBytes = sentBodyBytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    headTimeout.awaitRequest();
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Responder r = responder;
    ClientRequest c = current;
    responder = null;
    current = null;
    closing = true;
    releasePending();
    if (r != null) {
      r.onClientClosed();
    }
    if (c != null) {
      c.clientClosed(writeStalled);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      if (msg instanceof LastHttpContent) {
        ctx.close();
      }
      ReferenceCountUtil.release(msg);
      return;
    }
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof HttpObject)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (pending.isEmpty() && canDispatch(msg)) {
      dispatch(msg);
    } else {
      pending.add(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wantsInput() || (lingering && ctx.channel().isActive())) {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  /** Whether a message may be handled now rather than wait its turn. */
  private boolean canDispatch(Object msg) {
    if (msg instanceof HttpRequest) {
      return current == null && !finishingRequest;
    }
    return current == null || discardingBody || bodyDemand;
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest request) {
      onRequest(request);
    }
    if (msg instanceof HttpContent content) {
      onContent(content);
    }
  }

  /** Handles the waiting messages that may now be handled, in order. */
  private void drainPending() {
    while (!closing && !pending.isEmpty() && canDispatch(pending.peek())) {
      dispatch(pending.poll());
    }
  }

  /** Whether the connection should read more: a request head, or a body being discarded. */
  private boolean wantsInput() {
    if (closing || !pending.isEmpty()) {
      return false;
    }
    return (current == null && !finishingRequest) || (!requestBodyDone && (discardingBody || bodyDemand));
  }

  private void onRequest(HttpRequest request) {
    headTimeout.requestStarted();
    if (!ctx.channel().isActive()) {
      closing = true; // the codec flushes a partial head when the connection drops: nothing to answer
      return;
    }
    requestBodyDone = false;
    bodyDemand = false;
    RequestGuard.Verdict verdict = guard.check(request);
    if (verdict instanceof RequestGuard.Rejected rejected) {
      reject(request, rejected);
      return;
    }
    RequestGuard.Accepted accepted = (RequestGuard.Accepted) verdict;
    if (redirect != null && redirect.applies(request)) {
      reject(request, new RequestGuard.Rejected(HttpResponseStatus.PERMANENT_REDIRECT, "served over HTTPS"),
          redirect.location(request, accepted.pathAndQuery(), ctx.channel().localAddress()));
      return;
    }
    String sent = accepted.pathAndQuery();
    // Reads are checked here; other methods go to the origin, which decides (nothing of them is stored).
    Entitlements.Guard entitled = services.entitlements().any() && isRead(request)
        ? services.entitlements().guard(accepted.route().name(), sent) : null;
    String target = entitled == null ? sent : entitled.rule().cacheTarget(sent);
    ClientRequest client = new ClientRequest(this, ctx, request, accepted.route(), target, services);
    current = client;
    Responder r = entitled == null ? chooser.choose(client) : new EntitledResponder(client, chooser, entitled, sent);
    responder = r;
    discardingBody = !r.consumesBody();
    r.start();
  }

  private static boolean isRead(HttpRequest request) {
    return HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
  }

  private void reject(HttpRequest request, RequestGuard.Rejected rejected) {
    reject(request, rejected, null);
  }

  /** Answers {@code rejected} and closes; {@code location}, if any, goes in a Location field. */
  private void reject(HttpRequest request, RequestGuard.Rejected rejected, @Nullable String location) {
    long startNanos = System.nanoTime();
    if (location == null) {
      log.info("{} to {} for {} {}: {}", rejected.status().code(), ctx.channel().remoteAddress(),
          request.method(), abbreviate(request.uri()), rejected.reason());
    } else { // routine, once per tablet and page: not worth a line each
      log.debug("{} to {} for {} {}: {}", rejected.status().code(), ctx.channel().remoteAddress(),
          request.method(), abbreviate(request.uri()), location);
    }
    services.metrics().request(request.method().name(), rejected.status().code(), CacheOutcome.BYPASS, 0);
    closing = true;
    releasePending();
    // A body declared and not read yet is read and dropped before the close (lingerThenClose): a
    // close with unread bytes resets the connection, which can destroy the answer before it is read.
    boolean linger = request.decoderResult().isSuccess() && RequestGuard.hasBody(request);
    AccessLog accessLog = services.accessLog();
    long startMillis = services.clock().millis();
    long bytesBefore = bodyBytesSent();
    long firstByteNanos = System.nanoTime() - startNanos;
    FullHttpResponse response = ErrorResponses.create(ctx, rejected.status(), rejected.reason(), true);
    if (location != null) {
      response.headers().set(HttpHeaderNames.LOCATION, location);
    }
    ChannelFuture sent = ctx.writeAndFlush(response);
    if (!linger) {
      sent.addListener(ChannelFutureListener.CLOSE);
    } else {
      lingerThenClose();
    }
    if (!accessLog.enabled()) {
      return;
    }
    sent.addListener(f -> {
      // An unparsed head has no method or target: the codec's placeholders would mislead.
      boolean parsed = request.decoderResult().isSuccess();
      accessLog.log(new AccessLogEntry(startMillis, clientAddress(), parsed ? request.method().name() : null,
          parsed ? AccessLogEntry.protocol(ctx.channel(), request) : null, parsed ? request.uri() : null, rejected.status().code(), bodyBytesSent() - bytesBefore, null,
          firstByteNanos, System.nanoTime() - startNanos, -1, null,
          f.isSuccess() ? AccessLogEntry.End.COMPLETE : AccessLogEntry.End.CLIENT_CLOSED));
    });
  }

  /**
   * The codec found the request body's chunked framing broken (RFC 9112 7.1: a chunk size that is
   * not pure hex or overflows, chunk data longer than its size, a bare CR or LF in a chunk line, a
   * chunk line over {@code limits.max-request-line}): where the body ends, and so where the next
   * request starts, is unknown. The origin is never sent the end of that body (its exchange is
   * aborted, so it sees a cut request), and the connection closes: with a 400 when no response to
   * the request has started, cut otherwise (after a complete response, just closed).
   */
  private void malformedBody(Throwable cause) {
    Responder r = responder;
    ClientRequest c = current;
    responder = null;
    current = null;
    closing = true;
    finishingRequest = false;
    requestBodyDone = true;
    releasePending();
    String reason = "malformed chunked body: " + cause.getMessage();
    log.info("400 to {} for {}: {}", ctx.channel().remoteAddress(),
        c == null ? "the request just answered" : c.method() + " " + abbreviate(c.pathAndQuery()), reason);
    if (r != null) {
      r.onClientClosed(); // aborts its origin exchange: the origin sees a cut request, never a whole one
    }
    if (c == null || c.ended()) {
      ctx.close();
      return;
    }
    if (c.headStarted()) {
      c.abort(); // a response under way is cut: it must never look complete
      return;
    }
    c.refused(HttpResponseStatus.BAD_REQUEST);
    ErrorResponses.send(ctx, HttpResponseStatus.BAD_REQUEST, reason, true);
  }

  private @Nullable InetAddress clientAddress() {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
  }

  /** The response body bytes this connection has sent so far (0 when the access log is off). */
  long bodyBytesSent() {
    return sentBodyBytes == null ? 0 : sentBodyBytes.sent();
  }

  private void onContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      content.release();
      malformedBody(cause);
      return;
    }
    boolean last = content instanceof LastHttpContent;
    Responder r = responder;
    if (r == null || discardingBody) {
      content.release();
    } else {
      bodyDemand = false;
      r.onRequestContent(content);
    }
    if (last) {
      requestBodyDone = true;
      if (finishingRequest) {
        finishingRequest = false;
        continueWithNextRequest();
      }
    }
  }

  /**
   * Called by a responder that consumes the body when it can take the next piece: a waiting piece
   * is handed over at once, otherwise the connection reads.
   */
  void requestBody() {
    if (requestBodyDone || closing) {
      return;
    }
    bodyDemand = true;
    drainPending();
    if (wantsInput()) {
      ctx.read();
    }
  }

  /** Whether the whole request, body included, has been read. */
  boolean requestBodyDone() {
    return requestBodyDone;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Responder r = responder;
    if (r != null && ctx.channel().isWritable()) {
      r.onWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == WriteStallHandler.WRITE_STALLED) {
      writeStalled = true; // the close follows: the access log says timeout
      return;
    }
    if (evt == DRAIN) {
      if (current == null) {
        closing = true;
        releasePending();
        ctx.close();
      }
      return; // a busy connection closes when its response completes (services.draining())
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      // A tablet closed with a reset (a browser tab shut, a load tool stopped): nothing to act on.
      log.debug("client connection {} broken: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }

  /** Called by a {@link ClientRequest} when its response is fully written. */
  void responseComplete(ClientRequest request, boolean keepAlive) {
    if (request != current) {
      return;
    }
    current = null;
    responder = null;
    boolean reuse = keepAlive && !closing && !services.draining();
    if (!requestBodyDone) {
      if (reuse) {
        // A response can complete before the end of its own request is dispatched (a hit written
        // at once): read on to the end of the request, then go on with the connection.
        finishRequestThenContinue(HttpUtil.isTransferEncodingChunked(request.request())
            || HttpUtil.getContentLength(request.request(), 0L) > 0);
      } else {
        lingerThenClose();
      }
      return;
    }
    if (!reuse) {
      closing = true;
      releasePending();
      ctx.close();
      return;
    }
    continueWithNextRequest();
  }

  private void continueWithNextRequest() {
    headTimeout.awaitRequest();
    drainPending();
    if (wantsInput()) {
      ctx.read();
    }
  }

  /**
   * @param hasBody whether the request declared a body; without one, its end is already decoded
   *     and only waits to be dispatched, so no timer guards it (one less allocation per hit)
   */
  private void finishRequestThenContinue(boolean hasBody) {
    finishingRequest = true;
    discardingBody = true;
    if (hasBody) {
      // The task is this request's own: a later request finishing when it fires is not touched.
      int finishing = ++finishings;
      ctx.executor().schedule(() -> {
        if (finishingRequest && finishing == finishings) {
          finishingRequest = false;
          lingerThenClose(); // a body that does not end: the connection cannot be reused
        }
      }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }
    drainPending();
    if (finishingRequest && pending.isEmpty()) {
      ctx.read();
    }
  }

  /**
   * The response went out before the request body was read (a 413, an early origin answer): an
   * unread body would be parsed as the next request, so the connection must close. Closing with
   * unread bytes makes the kernel send a reset that can destroy the response before the client
   * reads it, so the rest of the body is read and dropped first, for a bounded time.
   */
  private void lingerThenClose() {
    lingering = true;
    closing = true;
    releasePending();
    ctx.executor().schedule(() -> {
      ctx.close();
    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    ctx.read();
  }

  private void releasePending() {
    Object msg;
    while ((msg = pending.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }

  private static String abbreviate(String uri) {
    return uri.length() <= 200 ? uri : uri.substring(0, 200) + "...";
  }
}
