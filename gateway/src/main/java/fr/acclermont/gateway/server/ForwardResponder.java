package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.ForwardReason;
import fr.acclermont.gateway.http.HopByHopHeaders;
import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.metrics.OriginOutcome;
import fr.acclermont.gateway.origin.OriginExchange;
import fr.acclermont.gateway.origin.OriginResponseListener;
import fr.acclermont.gateway.origin.RequestBody;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers through the origin, unstored: other methods, no-store requests, HEAD misses, and
 * responses that may not be shared. The origin's response streams to this client as it arrives,
 * never aggregated, with backpressure both ways: the next origin read is requested only while the
 * client's connection is writable, and the next piece of a request body only once the previous one
 * was written to the origin. (Cacheable GETs go through slices: {@link SliceResponder}.)
 *
 * <p>Interim responses: a client's {@code Expect: 100-continue} is answered {@code 100 Continue}
 * once the request head is on its way to the origin; the origin's interim responses but 100 (e.g.
 * {@code 103 Early Hints}) are forwarded to HTTP/1.1 clients ahead of the final response.
 *
 * <p>A non-error answer to an unsafe method invalidates what {@link InvalidationTargets} names. A
 * 200 to a HEAD freshens the stored GET response of its key, or makes it stale
 * ({@link GatewayServices#headAnswered}, RFC 9111 4.3.5).
 *
 * <p>Failures: before the response head is sent, the client gets 502 (504 for a timeout); after
 * it, the client's connection is closed so the body can never look complete. Event loop only.
 */
final class ForwardResponder implements Responder, OriginResponseListener {

  private static final Logger log = LoggerFactory.getLogger(ForwardResponder.class);

  private final ClientRequest client;
  private final Forwarding forwarding;
  private final ForwardReason fwd;
  private final long maxBodyBytes;
  private @Nullable OriginExchange exchange;
  private boolean clientGone;
  private boolean headSent;
  private boolean paused;
  private long requestBodyBytes;
  private long requestTimeMillis;

  /** @param fwd the {@code Cache-Status} forward reason */
  ForwardResponder(ClientRequest client, Forwarding forwarding, ForwardReason fwd) {
    this.client = client;
    this.forwarding = forwarding;
    this.fwd = fwd;
    this.maxBodyBytes = forwarding.maxBodyBytes().getAsLong();
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
    requestTimeMillis = forwarding.clock().millis();
    HttpRequest originRequest = originRequest();
    client.originStarted();
    exchange = forwarding.originClient().exchange(client.route(), client.ctx().channel().eventLoop(),
        originRequest, consumesBody() ? RequestBody.STREAMED : RequestBody.NONE, this);
  }

  private HttpRequest originRequest() {
    HttpRequest request = client.request();
    HttpHeaders headers = client.originHeaders();
    if (HttpUtil.isTransferEncodingChunked(request)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), client.originTarget(), headers);
  }

  @Override
  public void onRequestHeadSent() {
    if (HttpUtil.is100ContinueExpected(client.request()) && !clientGone) {
      // RFC 9110 10.1.1: the request is on its way to the origin, so the client may send the body.
      // The gateway meets the expectation itself: the origin is sent the body without waiting.
      client.ctx().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
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
        client.originEnded();
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

  /**
   * Forwards an interim response (103 Early Hints, 102...) as it comes, before the final one, to
   * clients that can parse it: RFC 9110 15.2 forbids sending a 1xx to an HTTP/1.0 client.
   */
  @Override
  public void onInterim(HttpResponse interim) {
    if (!clientGone && !headSent) {
      client.interim(interim);
    }
  }

  @Override
  public void onResponse(HttpResponse response) {
    ChannelHandlerContext ctx = client.ctx();
    HttpHeaders headers = new DefaultHttpHeaders().set(response.headers());
    HopByHopHeaders.strip(headers);
    int status = response.status().code();
    if (InvalidationTargets.invalidates(client.method(), status)) {
      // RFC 9111 4.4: an unsafe method succeeded; its URL, and those it names, may have changed.
      StoreEffects effects = forwarding.effects();
      effects.invalidate(client.key());
      InvalidationTargets.of(effects.router(), client.request(), client.pathAndQuery(), response.headers())
          .forEach(effects::invalidate);
    }
    if (status == 200 && HttpMethod.HEAD.equals(client.method()) && fwd != ForwardReason.BYPASS) {
      // RFC 9111 4.3.5: a HEAD's answer freshens the stored GET response (not for a no-store request).
      forwarding.effects().headAnswered(client.key(), client.request().headers(), headers, requestTimeMillis,
          forwarding.clock().millis());
    }
    if (clientGone) {
      exchange.abort();
      exchange = null;
      return;
    }
    headers.set(CacheStatus.HEADER, CacheStatus.after(headers.get(CacheStatus.HEADER),
        forwarding.statuses().forward(fwd, status)));
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

  @Override
  public void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (last) {
      client.originEnded();
    }
    if (client.ended() || clientGone) {
      content.release();
      return;
    }
    ChannelHandlerContext ctx = client.ctx();
    client.served(ByteSource.ORIGIN, content.content().readableBytes());
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
    client.originEnded();
    log.warn("origin {} failed for {} {} ({}): {}", client.route().name(), client.method(), client.pathAndQuery(),
        outcome.tag(), cause.toString());
    if (client.ended() || clientGone) {
      return;
    }
    if (headSent) {
      client.abort(); // never let a cut body look complete
      return;
    }
    failClient(outcome == OriginOutcome.TIMEOUT ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY,
        outcome == OriginOutcome.TIMEOUT ? "the origin did not answer in time" : "the origin could not be reached");
  }

  @Override
  public void onRequestBodyStalled(String why) {
    exchange = null;
    client.originEnded();
    log.info("408 to {} for {} {}: {} ({} bytes received)",
        client.ctx().channel().remoteAddress(), client.method(), client.pathAndQuery(), why, requestBodyBytes);
    if (!client.ended() && !clientGone) {
      failClient(HttpResponseStatus.REQUEST_TIMEOUT, why);
    }
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
    response.headers().set(CacheStatus.HEADER, forwarding.statuses().forward(fwd));
    client.prepareHead(response);
    client.ctx().writeAndFlush(response).addListener(f -> client.finish());
  }

  @Override
  public void onClientClosed() {
    clientGone = true;
    if (exchange != null) {
      exchange.abort();
      exchange = null;
    }
  }

  CacheKey key() {
    return client.key();
  }
}
