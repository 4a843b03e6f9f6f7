package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.NoStoreReason;
import fr.acclermont.gateway.cache.InFlightObject;
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
 * Answers through the origin. In {@link Mode#PASS} the origin's response streams to this client as
 * it arrives, never aggregated, with backpressure both ways: the next origin read is requested
 * only while the client's connection is writable, and the next piece of a request body only once
 * the previous one was written to the origin.
 *
 * <p>In {@link Mode#FILL} this fetch leads an {@link InFlightObject} that other clients may have
 * joined: a storable response is published in it and read from the origin at the origin's pace
 * (the bytes go to the store and to every client in parallel, as Traffic Server's "Cache Write"
 * does), and this client reads it through an {@link InFlightResponder} like any other; a response
 * that may not be shared abandons the object and streams to this client only, as in PASS.
 *
 * <p>Failures: before the response head is sent, the client gets 502 (504 for a timeout); after
 * it, the client's connection is closed so the body can never look complete; a partial fill is
 * dropped. Event loop only.
 */
final class ForwardResponder implements Responder, OriginResponseListener {

  private static final Logger log = LoggerFactory.getLogger(ForwardResponder.class);

  /** Whether the response may be stored. */
  enum Mode {
    /** A cacheable GET leading a shared fetch: store and share the response if it allows. */
    FILL,
    /** Pass through to this client only (other methods, ranges, HEAD misses, no-store requests). */
    PASS
  }

  private final ClientRequest client;
  private final Mode mode;
  private final String fwd;
  private final long maxBodyBytes;
  private @Nullable OriginExchange exchange;
  /** In {@link Mode#FILL}: the object this fetch fills, which other clients may have joined. */
  private final @Nullable InFlightObject fill;
  /** Once the fill is shareable: serves this client from the fill, like any other subscriber. */
  private @Nullable InFlightResponder subscriber;
  private boolean producing;
  private boolean clientGone;
  private boolean headSent;
  private boolean paused;
  private long requestBodyBytes;
  private long requestTimeMillis;
  private long responseTimeMillis;
  /** A snapshot of the origin's end-to-end headers, before this hop adds its own. */
  private @Nullable HttpHeaders storedHeaders;
  private int storedStatus;

  /** A pass-through: the origin's response streams to this client only, unstored. */
  ForwardResponder(ClientRequest client, String fwd) {
    this(client, Mode.PASS, fwd, null);
  }

  /**
   * @param fill in {@link Mode#FILL}, the in-flight object this fetch leads (registered with the
   *     {@link fr.acclermont.gateway.origin.FetchCoordinator})
   */
  ForwardResponder(ClientRequest client, Mode mode, String fwd, @Nullable InFlightObject fill) {
    if ((mode == Mode.FILL) != (fill != null)) {
      throw new IllegalArgumentException("a fill needs an in-flight object, a pass-through none");
    }
    this.client = client;
    this.mode = mode;
    this.fwd = fwd;
    this.fill = fill;
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
    if (fill != null && startFill(response, headers)) {
      return;
    }
    if (mode == Mode.PASS && !HttpMethod.GET.equals(client.method()) && !HttpMethod.HEAD.equals(client.method())
        && status < 400) {
      client.services().memory().invalidate(client.key()); // RFC 9111 4.4: unsafe method succeeded
    }
    if (clientGone) {
      exchange.abort();
      exchange = null;
      return;
    }
    headers.set(CacheStatus.HEADER, client.services().cacheStatus().forward(fwd, status, false, null));
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

  /**
   * Publishes the response in the in-flight object if it may be stored and shared; then this
   * client and every client that joined read it from there, and the origin is read at its own
   * pace. Otherwise the object is abandoned (joined clients fetch on their own) and this response
   * passes through to this client only. Returns whether the fill goes on.
   */
  private boolean startFill(HttpResponse response, HttpHeaders headers) {
    Optional<NoStoreReason> why = CachePolicy.whyNotStorable(client.request().headers(), response.status().code(),
        headers);
    long length = HttpUtil.getContentLength(response, -1L);
    if (why.isEmpty() && length > client.services().memory().maxObjectBytes()) {
      why = Optional.of(NoStoreReason.TOO_LARGE);
    }
    if (why.isPresent()) {
      log.debug("not storing {}: {}", client.key(), why.get().tag());
      endFill(fill::abandon);
      return false;
    }
    responseTimeMillis = client.services().clock().millis();
    storedHeaders = new DefaultHttpHeaders().set(headers);
    storedStatus = response.status().code();
    producing = true;
    fill.publishHead(new InFlightObject.Head(storedStatus, storedHeaders, length));
    if (!clientGone) {
      subscriber = new InFlightResponder(client, fill, fwd, false, () -> new ForwardResponder(client, fwd));
      headSent = true;
      subscriber.start();
    }
    exchange.read();
    return true;
  }

  private void endFill(Runnable how) {
    how.run();
    client.services().fetches().finished(fill);
  }

  @Override
  public void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (producing) {
      produce(content, last);
      return;
    }
    if (client.ended() || clientGone) {
      content.release();
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

  /** Appends to the fill at the origin's pace: subscribers read from it at theirs. */
  private void produce(HttpContent content, boolean last) {
    try {
      if (!fill.append(content.content())) {
        producing = false;
        endFill(fill::fail); // outgrew its announced length or the object limit
        if (exchange != null) {
          exchange.abort();
          exchange = null;
        }
        return;
      }
    } finally {
      content.release();
    }
    if (!last) {
      exchange.read();
      return;
    }
    producing = false;
    exchange = null;
    HttpHeaders headers = storedHeaders;
    int status = storedStatus;
    long responseTime = responseTimeMillis;
    endFill(() -> fill.complete((version, length, sliceSize) -> new StoredObject(client.key(), version, status,
        headers, length, sliceSize, requestTimeMillis, responseTime,
        CachePolicy.dateMillis(headers.get(HttpHeaderNames.DATE), responseTime),
        CachePolicy.ageHeader(headers), CachePolicy.freshnessLifetime(headers))));
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
    if (subscriber != null) {
      subscriber.onWritable();
    } else if (paused) {
      requestMore();
    }
  }

  @Override
  public void onFailure(OriginOutcome outcome, Throwable cause) {
    exchange = null;
    log.warn("origin {} failed for {} {} ({}): {}", client.route().name(), client.method(), client.pathAndQuery(),
        outcome.tag(), cause.toString());
    if (fill != null) {
      producing = false;
      endFill(fill::fail); // every client of the fill, this one included, sees it fail
    }
    if (subscriber != null || client.ended() || clientGone) {
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
    boolean close = !client.requestBodyDone();
    if (close) {
      client.closeAfterResponse(); // the rest of the body is not wanted: the connection ends here
    }
    HttpResponse response = ErrorResponses.create(client.ctx(), status, message, close);
    response.headers().set(CacheStatus.HEADER, client.services().cacheStatus().forward(fwd, 0, false, null));
    client.prepareHead(response);
    client.ctx().writeAndFlush(response).addListener(f -> client.finish());
  }

  @Override
  public void onClientClosed() {
    clientGone = true;
    if (subscriber != null) {
      subscriber.onClientClosed();
    }
    if (fill != null) {
      return; // a fill goes on for the clients that joined it, and for the cache
    }
    if (exchange != null) {
      exchange.abort();
      exchange = null;
    }
  }

  CacheKey key() {
    return client.key();
  }
}
