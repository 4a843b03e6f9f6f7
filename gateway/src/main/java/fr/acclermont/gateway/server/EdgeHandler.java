package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.metrics.CacheOutcome;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-connection driver: validates each request, chooses how to answer it (from the store or
 * through the origin) and hands the connection's events to that {@link Responder}.
 *
 * <p>One request at a time: the connection does not auto-read, and the next request is read only
 * when the previous response is complete, so responses are always in request order and a pipelining
 * client cannot make the gateway queue work.
 *
 * <p>Event loop only.
 */
final class EdgeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(EdgeHandler.class);

  /** Fired into the pipeline of every connection when the gateway starts draining. */
  static final Object DRAIN = new Object();

  private final GatewayServices services;
  private final RequestGuard guard;
  private final RequestHeadTimeoutHandler headTimeout;
  private @Nullable Responder responder;
  private @Nullable ClientRequest current;
  private boolean requestBodyDone = true;
  private boolean discardingBody;
  private boolean closing;

  EdgeHandler(GatewayServices services, RequestGuard guard, RequestHeadTimeoutHandler headTimeout) {
    this.services = requireNonNull(services, "services");
    this.guard = requireNonNull(guard, "guard");
    this.headTimeout = requireNonNull(headTimeout, "headTimeout");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    services.metrics().connectionOpened();
    awaitNextRequest(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    services.metrics().connectionClosed();
    Responder r = responder;
    responder = null;
    current = null;
    if (r != null) {
      r.onClientClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      onRequest(ctx, request);
    }
    if (msg instanceof HttpContent content) {
      onContent(ctx, content);
    } else if (!(msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
    headTimeout.requestStarted();
    if (closing || current != null) {
      return; // a response is in progress or the connection is closing: nothing more is read
    }
    requestBodyDone = false;
    RequestGuard.Verdict verdict = guard.check(request);
    if (verdict instanceof RequestGuard.Rejected rejected) {
      reject(ctx, request, rejected);
      return;
    }
    RequestGuard.Accepted accepted = (RequestGuard.Accepted) verdict;
    ClientRequest client = new ClientRequest(this, ctx, request, accepted.route(), accepted.pathAndQuery(), services);
    current = client;
    Responder r = choose(client);
    responder = r;
    discardingBody = !r.consumesBody();
    if (discardingBody) {
      // Usually the end of a body-less request is already decoded and queued: consume it now, so a
      // response that completes at once finds the request complete and keeps the connection.
      ctx.read();
    }
    r.start();
  }

  private void reject(ChannelHandlerContext ctx, HttpRequest request, RequestGuard.Rejected rejected) {
    log.info("{} to {} for {} {}: {}", rejected.status().code(), ctx.channel().remoteAddress(),
        request.method(), abbreviate(request.uri()), rejected.reason());
    services.metrics().request(request.method().name(), rejected.status().code(), CacheOutcome.BYPASS, 0);
    closing = true;
    ErrorResponses.send(ctx, rejected.status(), rejected.reason(), true);
  }

  private Responder choose(ClientRequest client) {
    HttpRequest request = client.request();
    HttpMethod method = request.method();
    if (!CachePolicy.requestCacheable(method, request.headers())) {
      client.outcome(CacheOutcome.BYPASS);
      String fwd = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? "bypass" : "method";
      return new ForwardResponder(client, ForwardResponder.Mode.PASS, fwd);
    }
    if (CachePolicy.requestForbidsStoredResponse(request.headers())) {
      return new ForwardResponder(client, modeFor(method), "request");
    }
    StoredObject stored = services.memory().object(client.key());
    if (stored == null) {
      return new ForwardResponder(client, modeFor(method), "miss");
    }
    if (!stored.isFresh(services.clock().millis())) {
      client.outcome(CacheOutcome.STALE);
      return new ForwardResponder(client, modeFor(method), "stale");
    }
    HitResponder hit = HitResponder.acquire(client, stored);
    if (hit == null) {
      services.memory().invalidate(client.key()); // a slice was evicted: the copy is unreadable
      return new ForwardResponder(client, modeFor(method), "miss");
    }
    client.outcome(CacheOutcome.HIT);
    return hit;
  }

  /** A HEAD miss is passed through without storing: filling would fetch a body nobody asked for. */
  private static ForwardResponder.Mode modeFor(HttpMethod method) {
    return HttpMethod.GET.equals(method) ? ForwardResponder.Mode.FILL : ForwardResponder.Mode.PASS;
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (last) {
      requestBodyDone = true;
    }
    Responder r = responder;
    if (r == null || discardingBody) {
      content.release();
      if (!last && r != null) {
        ctx.read();
      }
      return;
    }
    r.onRequestContent(content);
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
    if (evt == DRAIN) {
      closing = true;
      if (current == null) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** Called by a {@link ClientRequest} when its response is fully written. */
  void responseComplete(ClientRequest request, boolean keepAlive) {
    if (request != current) {
      return;
    }
    current = null;
    responder = null;
    ChannelHandlerContext ctx = request.ctx();
    if (!keepAlive || closing || services.draining() || !requestBodyDone) {
      // An unread request body would be parsed as the next request: close instead.
      ctx.close();
      return;
    }
    awaitNextRequest(ctx);
  }

  private void awaitNextRequest(ChannelHandlerContext ctx) {
    headTimeout.awaitRequest();
    ctx.read();
  }

  private static String abbreviate(String uri) {
    return uri.length() <= 200 ? uri : uri.substring(0, 200) + "...";
  }
}
