package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginRoute;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * One accepted client request while its response is produced: what was asked, where it goes, and
 * the measurements taken on the way. Ends exactly once, by {@link #finish} or {@link #abort}.
 */
final class ClientRequest {

  private final EdgeHandler owner;
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final OriginRoute route;
  private final String pathAndQuery;
  private final CacheKey key;
  private final GatewayServices services;
  private final long startNanos = System.nanoTime();
  private CacheOutcome outcome = CacheOutcome.MISS;
  private int status;
  private boolean keepAlive;
  private boolean ended;

  ClientRequest(EdgeHandler owner, ChannelHandlerContext ctx, HttpRequest request, OriginRoute route,
      String pathAndQuery, GatewayServices services) {
    this.owner = requireNonNull(owner, "owner");
    this.ctx = requireNonNull(ctx, "ctx");
    this.request = requireNonNull(request, "request");
    this.route = requireNonNull(route, "route");
    this.pathAndQuery = requireNonNull(pathAndQuery, "pathAndQuery");
    this.services = requireNonNull(services, "services");
    this.key = services.variants().keyFor(new CacheKey(route.name(), pathAndQuery), request.headers());
    this.keepAlive = HttpUtil.isKeepAlive(request);
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  HttpRequest request() {
    return request;
  }

  HttpMethod method() {
    return request.method();
  }

  OriginRoute route() {
    return route;
  }

  String pathAndQuery() {
    return pathAndQuery;
  }

  CacheKey key() {
    return key;
  }

  /**
   * A copy of the request's headers rewritten for the origin: hop-by-hop fields removed, the
   * route's {@code Host}, this gateway's {@code Via} added. The caller may change it further.
   * {@code Expect: 100-continue} is not forwarded: the gateway answers it ({@link ForwardResponder})
   * and sends the body without waiting, and a slice fetch sends none.
   */
  HttpHeaders originHeaders() {
    HttpHeaders headers = new DefaultHttpHeaders().set(request.headers());
    HopByHopHeaders.strip(headers);
    if (headers.contains(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true)) {
      headers.remove(HttpHeaderNames.EXPECT);
    }
    headers.set(HttpHeaderNames.HOST, route.authority());
    headers.add(HttpHeaderNames.VIA, services.via());
    return headers;
  }

  /** The origin-form target of this request at its origin. */
  String originTarget() {
    return route.targetFor(pathAndQuery);
  }

  GatewayServices services() {
    return services;
  }

  GatewayMetrics metrics() {
    return services.metrics();
  }

  void outcome(CacheOutcome outcome) {
    this.outcome = outcome;
  }

  /**
   * Fills in the connection-level headers of a response about to be written (keep-alive or close,
   * {@code Via}) and records the time to first byte.
   */
  void prepareHead(HttpResponse response) {
    status = response.status().code();
    response.headers().add(HttpHeaderNames.VIA, services.via());
    if (!keepAlive || services.draining()) {
      keepAlive = false;
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!request.protocolVersion().isKeepAliveDefault()) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    metrics().firstByte(outcome, System.nanoTime() - startNanos);
  }

  /** Marks the connection to close after this response (e.g. a body of unknown length to HTTP/1.0). */
  void closeAfterResponse() {
    keepAlive = false;
  }

  /** The response was fully written. */
  void finish() {
    if (ended) {
      return;
    }
    ended = true;
    metrics().request(request.method().name(), status, outcome, System.nanoTime() - startNanos);
    owner.responseComplete(this, keepAlive);
  }

  /** The response cannot be completed: the connection is closed so the client sees it broken. */
  void abort() {
    if (ended) {
      return;
    }
    ended = true;
    metrics().request(request.method().name(), status == 0 ? 502 : status, outcome, System.nanoTime() - startNanos);
    ctx.close();
  }

  /** Asks for the next piece of the request body (a responder that streams it). */
  void requestBody() {
    owner.requestBody();
  }

  /** Whether the client's request, body included, has been read entirely. */
  boolean requestBodyDone() {
    return owner.requestBodyDone();
  }

  boolean ended() {
    return ended;
  }
}
