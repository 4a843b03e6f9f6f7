package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.http.HopByHopHeaders;
import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.status.BookTraffic;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * One accepted client request while its response is produced: what was asked, where it goes, and
 * the measurements taken on the way. Ends exactly once, by {@link #finish}, {@link #abort} or
 * {@link #clientClosed}, which records its metrics and its access log line.
 */
final class ClientRequest {

  /** Bounds the look-ups again of one request: an origin could change its {@code Vary} at every answer. */
  private static final int MAX_REKEYS = 2;

  private final EdgeHandler owner;
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final OriginRoute route;
  private final String pathAndQuery;
  /** Looked up again, at most {@link #MAX_REKEYS} times, when the URL's {@code Vary} is learnt meanwhile. */
  private CacheKey key;
  private int rekeys;
  private final GatewayServices services;
  private final long startNanos = System.nanoTime();
  private final long startMillis;
  /** The connection's body bytes sent before this request's response. */
  private final long bodyBytesBefore;
  /** Whether disk slices may go out as regions on this connection: not under TLS. */
  private final boolean zeroCopy;
  private CacheOutcome outcome = CacheOutcome.MISS;
  private int status;
  private boolean keepAlive;
  private boolean ended;
  private long firstByteNanos = -1;
  private @Nullable String cacheStatus;
  /** Time spent waiting on the origin, over the periods that ended; -1 until one starts. */
  private long originNanos = -1;
  /** When the current period of waiting on the origin started; 0 when none is running. */
  private long originSince;
  /** Body bytes of the response sent so far, by every source. */
  private long bodyBytes;

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
    this.startMillis = services.clock().millis();
    this.bodyBytesBefore = owner.bodyBytesSent();
    this.zeroCopy = zeroCopy(ctx.channel());
  }

  /**
   * Whether a response on {@code channel} may be written as a {@code FileRegion} (disk slices sent
   * with {@code sendfile}). Not under TLS: an {@link SslHandler} must encrypt the bytes, and cannot
   * take a region. Not on a channel whose parent is a connection rather than a listener (an HTTP/2
   * stream channel), which carries frames, not regions. Yes on an accepted socket, and on a channel
   * without a parent (the benchmarks' {@code EmbeddedChannel}, which writes the region out as is).
   */
  static boolean zeroCopy(Channel channel) {
    Channel parent = channel.parent();
    return (parent == null || parent instanceof ServerChannel) && channel.pipeline().get(SslHandler.class) == null;
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  /**
   * Whether disk slices may go out zero-copy on this connection ({@link #zeroCopy(Channel)});
   * when not, they are read into memory off the event loop, as unverified slices are.
   */
  boolean zeroCopy() {
    return zeroCopy;
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
   * Looks the request's key up again: an answer may have taught (or changed) what its URL varies
   * on since the request arrived, and then it belongs under the key of its own variant. Returns
   * whether the key changed; it no longer does after {@link #MAX_REKEYS} changes.
   */
  boolean rekey() {
    if (rekeys >= MAX_REKEYS) {
      return false;
    }
    CacheKey now = services.variants().keyFor(key.primary(), request.headers());
    if (now.equals(key)) {
      return false;
    }
    key = now;
    rekeys++;
    return true;
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

  /** Counts {@code bytes} of response body sent from {@code source} (the metrics and the book counts). */
  void served(ByteSource source, long bytes) {
    bodyBytes += bytes;
    metrics().served(source, bytes);
  }

  void outcome(CacheOutcome outcome) {
    this.outcome = outcome;
  }

  /**
   * Fills in the connection-level headers of a response about to be written (keep-alive or close,
   * {@code Via}) and records the time to first byte.
   */
  void prepareHead(HttpResponse response) {
    response.headers().add(HttpHeaderNames.VIA, services.via());
    AsciiString connection = connectionField();
    if (connection != null) {
      response.headers().set(HttpHeaderNames.CONNECTION, connection);
    }
    headReady(response.status().code(), response.headers().get(CacheStatus.HEADER));
  }

  /**
   * Writes a whole response the gateway made itself (its body, if any, in it), its connection
   * fields filled in, and ends this request when it is sent.
   */
  void answerWhole(HttpResponse response) {
    prepareHead(response);
    ctx.writeAndFlush(response).addListener(f -> finish());
  }

  /**
   * The {@code Connection} value the response must send, or null for none, deciding whether the
   * connection is kept after it: {@code close} when the client or a drain ends it,
   * {@code keep-alive} to an HTTP/1.0 client that keeps it. For a head built whole
   * ({@link StoredHeads}); others go through {@link #prepareHead}.
   */
  @Nullable AsciiString connectionField() {
    if (!keepAlive || services.draining()) {
      keepAlive = false;
      return HttpHeaderValues.CLOSE;
    }
    return request.protocolVersion().isKeepAliveDefault() ? null : HttpHeaderValues.KEEP_ALIVE;
  }

  /**
   * A response head with these values is about to be written, its connection fields in it: records
   * them for the access log and the metrics, and the time to first byte.
   *
   * @param cacheStatus the {@code Cache-Status} value sent, or null for none
   */
  void headReady(int status, @Nullable String cacheStatus) {
    this.status = status;
    firstByteNanos = System.nanoTime() - startNanos;
    this.cacheStatus = cacheStatus;
    metrics().firstByte(outcome, firstByteNanos);
  }

  /**
   * This request starts waiting on the origin: a pass-through's exchange is started, or a probe's
   * head is awaited. Periods add up until {@link #originEnded} (a probe abandoned, then a
   * pass-through). The access log's {@code origin_ms}.
   */
  void originStarted() {
    if (originSince == 0) {
      originSince = System.nanoTime();
    }
  }

  /** This request stops waiting on the origin: the last byte or a failure came, or the head was published. */
  void originEnded() {
    if (originSince != 0) {
      originNanos = Math.max(originNanos, 0) + System.nanoTime() - originSince;
      originSince = 0;
    }
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
    logAccess(status, AccessLogEntry.End.COMPLETE);
    owner.responseComplete(this, keepAlive);
  }

  /**
   * The response cannot be completed: the connection is closed so the client sees it broken. If
   * it was closed already (a write failed because the client left), the access log says so.
   */
  void abort() {
    if (ended) {
      return;
    }
    ended = true;
    boolean clientGone = !ctx.channel().isActive();
    metrics().request(request.method().name(), status == 0 ? 502 : status, outcome, System.nanoTime() - startNanos);
    logAccess(status != 0 ? status : clientGone ? AccessLogEntry.CLIENT_CLOSED_REQUEST : 502,
        clientGone ? AccessLogEntry.End.CLIENT_CLOSED : AccessLogEntry.End.ABORTED);
    ctx.close();
  }

  /**
   * Relays an origin's interim response (a {@code 1xx} but 100 and 101, e.g. {@code 103 Early
   * Hints} with its {@code Link} fields) to this client ahead of its final response: only to an
   * HTTP/1.1 client (RFC 9110 15.2: never a {@code 1xx} to HTTP/1.0), only while the client is
   * there and no head of this request's response was written. Hop-by-hop fields are removed and
   * this gateway's {@code Via} added. Any number may be relayed, in the order they come.
   */
  void interim(HttpResponse interim) {
    if (request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0) {
      return;
    }
    HttpHeaders headers = new DefaultHttpHeaders().set(interim.headers());
    HopByHopHeaders.strip(headers);
    headers.add(HttpHeaderNames.VIA, services.via());
    FullHttpResponse relayed = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, interim.status(),
        Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
    if (ctx.executor().inEventLoop()) {
      writeInterim(relayed);
    } else {
      ctx.executor().execute(() -> writeInterim(relayed)); // before the head: published after this
    }
  }

  private void writeInterim(FullHttpResponse relayed) {
    if (!ended && !headStarted() && ctx.channel().isActive()) {
      ctx.writeAndFlush(relayed);
    }
  }

  /** Whether a response head (or the first bytes of one) was written for this request. */
  boolean headStarted() {
    return firstByteNanos >= 0;
  }

  /**
   * The request is refused after all by the gateway's own error answer, which the caller writes
   * before closing the connection (a malformed request body): recorded with that status.
   */
  void refused(HttpResponseStatus status) {
    if (ended) {
      return;
    }
    ended = true;
    keepAlive = false;
    this.status = status.code();
    metrics().request(request.method().name(), this.status, outcome, System.nanoTime() - startNanos);
    logAccess(this.status, AccessLogEntry.End.COMPLETE);
  }

  /**
   * The client's connection closed before the response was complete. Only the access log records
   * it: the status sent, or 499 when none was.
   *
   * @param writeStalled whether the gateway closed it because the client took none of its
   *     response for {@code timeouts.idle-write} (ended by timeout)
   */
  void clientClosed(boolean writeStalled) {
    if (ended) {
      return;
    }
    ended = true;
    logAccess(status != 0 ? status : AccessLogEntry.CLIENT_CLOSED_REQUEST,
        writeStalled ? AccessLogEntry.End.TIMEOUT : AccessLogEntry.End.CLIENT_CLOSED);
  }

  private void logAccess(int loggedStatus, AccessLogEntry.End end) {
    BookTraffic books = services.bookTraffic();
    if (books != null) {
      books.add(pathAndQuery, bodyBytes); // every end passes here once: a cut response counts what was sent
    }
    AccessLog accessLog = services.accessLog();
    if (!accessLog.enabled()) {
      return;
    }
    originEnded(); // a wait still running ends with the request (the exchange is dropped with it)
    InetAddress client = ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
    accessLog.log(new AccessLogEntry(startMillis, client, request.method().name(),
        AccessLogEntry.protocol(ctx.channel(), request), pathAndQuery, loggedStatus,
        owner.bodyBytesSent() - bodyBytesBefore, cacheStatus, firstByteNanos, System.nanoTime() - startNanos,
        originNanos, route.name(), end));
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
