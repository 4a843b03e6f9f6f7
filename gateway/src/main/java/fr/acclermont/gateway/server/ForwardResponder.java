package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.ConditionalRequests;
import fr.acclermont.gateway.cache.NoStoreReason;
import fr.acclermont.gateway.cache.SliceWriter;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.metrics.OriginOutcome;
import fr.acclermont.gateway.origin.OriginExchange;
import fr.acclermont.gateway.origin.OriginResponseListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers through the origin: the origin's response streams to the client as it arrives, never
 * aggregated, and in {@link Mode#FILL} is cut into slices and stored at the same time (the bytes go
 * both ways in parallel, as Traffic Server's "Cache Write" does).
 *
 * <p>Backpressure both ways: the next origin read is requested only while the client's connection
 * is writable, and the next piece of a request body only once the previous one was written to the
 * origin.
 *
 * <p>Failures: before the response head is sent, the client gets 502 (504 for a timeout); after
 * it, the client's connection is closed so the body can never look complete; a partial fill is
 * dropped. Event loop only.
 */
final class ForwardResponder implements Responder, OriginResponseListener {

  private static final Logger log = LoggerFactory.getLogger(ForwardResponder.class);

  /** Whether the response may be stored. */
  enum Mode {
    /** Cacheable request: store the response if it allows. */
    FILL,
    /** Pass through without storing (other methods, ranges, HEAD misses, no-store requests). */
    PASS
  }

  private final ClientRequest client;
  private final Mode mode;
  private final String fwd;
  private final long maxBodyBytes;
  private @Nullable OriginExchange exchange;
  private @Nullable SliceWriter writer;
  private boolean headSent;
  /** The client got a complete answer (a 304 it asked for) while the fill goes on without it. */
  private boolean detached;
  private boolean paused;
  private long requestBodyBytes;
  private long requestTimeMillis;
  private long responseTimeMillis;
  /** A snapshot of the origin's end-to-end headers, before this hop adds its own. */
  private @Nullable HttpHeaders storedHeaders;
  private int storedStatus;

  ForwardResponder(ClientRequest client, Mode mode, String fwd) {
    this.client = client;
    this.mode = mode;
    this.fwd = fwd;
    this.maxBodyBytes = client.services().config().limits().maxBodyBytes();
  }

  @Override
  public boolean consumesBody() {
    return hasBody(client.request());
  }

  private static boolean hasBody(HttpRequest request) {
    return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
  }

  @Override
  public void start() {
    HttpRequest originRequest = originRequest();
    requestTimeMillis = client.services().clock().millis();
    exchange = client.services().originClient().exchange(client.route(), client.ctx().channel().eventLoop(),
        originRequest, consumesBody(), this);
  }

  private HttpRequest originRequest() {
    HttpRequest request = client.request();
    HttpHeaders headers = new DefaultHttpHeaders().set(request.headers());
    HopByHopHeaders.strip(headers);
    headers.set(HttpHeaderNames.HOST, client.route().authority());
    headers.add(HttpHeaderNames.VIA, client.services().via());
    if (mode == Mode.FILL) {
      // Fill with a full response; the client's own preconditions are answered by the gateway.
      headers.remove(HttpHeaderNames.IF_NONE_MATCH);
      headers.remove(HttpHeaderNames.IF_MODIFIED_SINCE);
    }
    if (HttpUtil.isTransferEncodingChunked(request)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(),
        client.route().targetFor(client.pathAndQuery()), headers);
  }

  @Override
  public void onRequestHeadSent() {
    client.requestBody(); // start pulling the request body
  }

  @Override
  public void onRequestContent(HttpContent content) {
    OriginExchange ex = exchange;
    requestBodyBytes += content.content().readableBytes();
    if (ex == null || requestBodyBytes > maxBodyBytes) {
      content.release();
      if (ex != null) {
        log.info("413 to {} for {} {}: body over {} bytes", client.ctx().channel().remoteAddress(),
            client.method(), client.pathAndQuery(), maxBodyBytes);
        ex.abort();
        exchange = null;
        failClient(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body over " + maxBodyBytes + " bytes");
      }
      return;
    }
    boolean last = content instanceof LastHttpContent;
    ex.writeBody(content).addListener(f -> {
      if (f.isSuccess() && !last) {
        client.requestBody();
      }
    });
  }

  @Override
  public void onResponse(HttpResponse response) {
    ChannelHandlerContext ctx = client.ctx();
    HttpHeaders headers = new DefaultHttpHeaders().set(response.headers());
    HopByHopHeaders.strip(headers);
    int status = response.status().code();
    boolean stored = false;
    if (mode == Mode.FILL && !HttpMethod.HEAD.equals(client.method())) {
      stored = startFill(response, headers);
    }
    if (mode == Mode.PASS && !HttpMethod.GET.equals(client.method()) && !HttpMethod.HEAD.equals(client.method())
        && status < 400) {
      client.services().memory().invalidate(client.key()); // RFC 9111 4.4: unsafe method succeeded
    }
    headers.set(CacheStatus.HEADER, client.services().cacheStatus().forward(fwd, status, stored, null));
    if (stored && ConditionalRequests.isConditional(client.request().headers())
        && ConditionalRequests.notModified(client.request().headers(), headers)) {
      sendNotModifiedAndDetach(headers);
      return;
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), headers);
    if (!HttpUtil.isContentLengthSet(response) && mayHaveBody(status)) {
      if (client.request().protocolVersion().isKeepAliveDefault()) {
        HttpUtil.setTransferEncodingChunked(head, true);
      } else {
        client.closeAfterResponse(); // HTTP/1.0: the end of the body is the end of the connection
      }
    }
    client.prepareHead(head);
    headSent = true;
    ctx.write(head);
    requestMore();
  }

  private boolean mayHaveBody(int status) {
    return !HttpMethod.HEAD.equals(client.method()) && status != 204 && status != 304 && status >= 200;
  }

  /** Starts storing if the response allows; returns whether it will be stored. */
  private boolean startFill(HttpResponse response, HttpHeaders headers) {
    Optional<NoStoreReason> why = CachePolicy.whyNotStorable(client.request().headers(), response.status().code(),
        headers);
    long length = HttpUtil.getContentLength(response, -1L);
    if (why.isEmpty() && length > client.services().memory().maxObjectBytes()) {
      why = Optional.of(NoStoreReason.TOO_LARGE);
    }
    if (why.isPresent()) {
      log.debug("not storing {}: {}", client.key(), why.get().tag());
      return false;
    }
    responseTimeMillis = client.services().clock().millis();
    storedHeaders = new DefaultHttpHeaders().set(headers);
    storedStatus = response.status().code();
    writer = new SliceWriter(client.services().memory(), client.ctx().alloc(), client.key(),
        (int) client.services().config().cache().sliceSize(), length);
    return true;
  }

  /**
   * The client's precondition matches what the origin sent: it gets 304 now, and the body keeps
   * flowing into the store at the origin's pace.
   */
  private void sendNotModifiedAndDetach(HttpHeaders headers) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, headers);
    headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    headers.remove(HttpHeaderNames.CONTENT_TYPE);
    client.prepareHead(head);
    headSent = true;
    detached = true;
    client.ctx().write(head);
    client.ctx().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> client.finish());
    exchange.read();
  }

  @Override
  public void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (writer != null && !writer.append(content.content())) {
      writer = null; // outgrew the object limit: the rest streams through unstored
    }
    if (last && writer != null) {
      commitFill();
    }
    if (detached || client.ended()) {
      content.release();
      if (!last && exchange != null) {
        exchange.read();
      }
      return;
    }
    ChannelHandlerContext ctx = client.ctx();
    client.metrics().served(ByteSource.ORIGIN, content.content().readableBytes());
    if (last) {
      ctx.writeAndFlush(content).addListener(f -> {
        if (f.isSuccess()) {
          client.finish();
        } else {
          client.abort();
        }
      });
      return;
    }
    ctx.writeAndFlush(content);
    requestMore();
  }

  private void commitFill() {
    SliceWriter w = writer;
    writer = null;
    HttpHeaders headers = storedHeaders;
    int status = storedStatus;
    long responseTime = responseTimeMillis;
    w.commit((version, length, sliceSize) -> new StoredObject(client.key(), version, status, headers, length,
        sliceSize, requestTimeMillis, responseTime,
        CachePolicy.dateMillis(headers.get(HttpHeaderNames.DATE), responseTime),
        CachePolicy.ageHeader(headers), CachePolicy.freshnessLifetime(headers)));
  }

  private void requestMore() {
    OriginExchange ex = exchange;
    if (ex == null) {
      return;
    }
    if (client.ctx().channel().isWritable()) {
      paused = false;
      ex.read();
    } else {
      paused = true; // resumed by onWritable
    }
  }

  @Override
  public void onWritable() {
    if (paused) {
      requestMore();
    }
  }

  @Override
  public void onFailure(OriginOutcome outcome, Throwable cause) {
    exchange = null;
    if (writer != null) {
      writer.abort();
      writer = null;
    }
    log.warn("origin {} failed for {} {} ({}): {}", client.route().name(), client.method(), client.pathAndQuery(),
        outcome.tag(), cause.toString());
    if (detached || client.ended()) {
      return;
    }
    if (headSent) {
      client.abort(); // never let a cut body look complete
      return;
    }
    failClient(outcome == OriginOutcome.TIMEOUT ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY,
        outcome == OriginOutcome.TIMEOUT ? "the origin did not answer in time" : "the origin could not be reached");
  }

  private void failClient(HttpResponseStatus status, String message) {
    if (headSent) {
      client.abort();
      return;
    }
    headSent = true;
    HttpResponse response = ErrorResponses.create(client.ctx(), status, message, !client.requestBodyDone());
    response.headers().set(CacheStatus.HEADER, client.services().cacheStatus().forward(fwd, 0, false, null));
    client.prepareHead(response);
    client.ctx().writeAndFlush(response).addListener(f -> client.finish());
  }

  @Override
  public void onClientClosed() {
    if (exchange != null && !detached) {
      exchange.abort();
      exchange = null;
      if (writer != null) {
        writer.abort();
        writer = null;
      }
    }
  }

  CacheKey key() {
    return client.key();
  }
}
