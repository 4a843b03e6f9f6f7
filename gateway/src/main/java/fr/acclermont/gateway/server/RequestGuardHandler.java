package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.CacheOutcome;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each request head with the {@link RequestGuard} as the dispatch is ready for it (it sits
 * behind the {@link RequestFlowControl}, so a refusal comes in request order): an accepted head goes
 * on as an {@link AcceptedRequest}; a refused one is answered here, with its status, a log line, its
 * metrics and its access log line, and the connection closes (after reading and dropping a body the
 * request declared: {@link RequestFlowControl#lingerThenClose}). On the plain listener with
 * {@code server.redirect-to-https}, GET and HEAD are answered with a redirect the same way.
 *
 * <p>It also tells the {@link RequestHeadTimeoutHandler} that a head arrived, accepted or not.
 * Bodies pass through untouched. Event loop only; one per connection.
 */
final class RequestGuardHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RequestGuardHandler.class);

  private final RequestGuard guard;
  private final GatewayServices services;
  private final RequestHeadTimeoutHandler headTimeout;
  private final RequestFlowControl flowControl;
  /** Counts the response body bytes sent, for the access log; null when it is off. */
  private final @Nullable SentBodyBytes sentBodyBytes;
  /** On the plain listener with {@code server.redirect-to-https}: where GET and HEAD are sent. */
  private final @Nullable HttpsRedirect redirect;

  RequestGuardHandler(RequestGuard guard, GatewayServices services, RequestHeadTimeoutHandler headTimeout,
      RequestFlowControl flowControl, @Nullable SentBodyBytes sentBodyBytes, @Nullable HttpsRedirect redirect) {
    this.guard = requireNonNull(guard, "guard");
    this.services = requireNonNull(services, "services");
    this.headTimeout = requireNonNull(headTimeout, "headTimeout");
    this.flowControl = requireNonNull(flowControl, "flowControl");
    this.sentBodyBytes = sentBodyBytes;
    this.redirect = redirect;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    headTimeout.requestStarted();
    if (!ctx.channel().isActive()) {
      // The codec flushes a partial head when the connection drops: nothing to answer.
      flowControl.stop();
      ReferenceCountUtil.release(msg);
      return;
    }
    RequestGuard.Verdict verdict = guard.check(request);
    if (verdict instanceof RequestGuard.Rejected rejected) {
      reject(ctx, request, rejected, null);
      ReferenceCountUtil.release(msg);
      return;
    }
    RequestGuard.Accepted accepted = (RequestGuard.Accepted) verdict;
    if (redirect != null && redirect.applies(request)) {
      reject(ctx, request, new RequestGuard.Rejected(HttpResponseStatus.PERMANENT_REDIRECT, "served over HTTPS"),
          redirect.location(request, accepted.pathAndQuery(), ctx.channel().localAddress()));
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(new AcceptedRequest(request, accepted));
  }

  /** Answers {@code rejected} and closes; {@code location}, if any, goes in a Location field. */
  private void reject(ChannelHandlerContext ctx, HttpRequest request, RequestGuard.Rejected rejected,
      @Nullable String location) {
    long startNanos = System.nanoTime();
    if (location == null) {
      log.info("{} to {} for {} {}: {}", rejected.status().code(), ctx.channel().remoteAddress(),
          request.method(), abbreviate(request.uri()), rejected.reason());
    } else { // routine, once per tablet and page: not worth a line each
      log.debug("{} to {} for {} {}: {}", rejected.status().code(), ctx.channel().remoteAddress(),
          request.method(), abbreviate(request.uri()), location);
    }
    services.metrics().request(request.method().name(), rejected.status().code(), CacheOutcome.BYPASS, 0);
    // A body declared and not read yet is read and dropped before the close (lingerThenClose): a
    // close with unread bytes resets the connection, which can destroy the answer before it is read.
    boolean linger = request.decoderResult().isSuccess() && RequestGuard.hasBody(request);
    flowControl.stop();
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
      flowControl.lingerThenClose();
    }
    if (!accessLog.enabled()) {
      return;
    }
    sent.addListener(f -> {
      // An unparsed head has no method or target: the codec's placeholders would mislead.
      boolean parsed = request.decoderResult().isSuccess();
      accessLog.log(new AccessLogEntry(startMillis, clientAddress(ctx), parsed ? request.method().name() : null,
          parsed ? AccessLogEntry.protocol(ctx.channel(), request) : null, parsed ? request.uri() : null,
          rejected.status().code(), bodyBytesSent() - bytesBefore, null,
          firstByteNanos, System.nanoTime() - startNanos, -1, null,
          f.isSuccess() ? AccessLogEntry.End.COMPLETE : AccessLogEntry.End.CLIENT_CLOSED));
    });
  }

  private long bodyBytesSent() {
    return sentBodyBytes == null ? 0 : sentBodyBytes.sent();
  }

  private static @Nullable InetAddress clientAddress(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
  }

  static String abbreviate(String uri) {
    return uri.length() <= 200 ? uri : uri.substring(0, 200) + "...";
  }
}
