package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.security.Entitlements;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch of a client connection: chooses how to answer each request the
 * {@link RequestGuardHandler} accepted (from the store or through the origin) and hands the
 * connection's events to that {@link Responder} until its {@link ClientRequest} reports the response
 * complete; then the connection goes on with its next request, or closes.
 *
 * <p>It takes one request at a time: {@link RequestFlowControl}, in front of it, hands a message on
 * only when {@link #accepts} says so, and reads when {@link #wantsInput} says so. A response may
 * complete before its request was read to its end (a hit written at once, a refusal of the body):
 * the rest is read and dropped before the next request ({@link Phase#FINISHING_REQUEST}), or, when
 * the connection cannot be reused, before it closes ({@link RequestFlowControl#lingerThenClose}).
 *
 * <p>An unexpected exception closes the connection; when no response head was written for the
 * request being answered, a {@code 500} goes out first ({@link #exceptionCaught}).
 *
 * <p>Event loop only.
 */
final class EdgeHandler extends ChannelInboundHandlerAdapter implements RequestFlowControl.Consumer {

  private static final Logger log = LoggerFactory.getLogger(EdgeHandler.class);

  /** Fired into the pipeline of every connection when the gateway starts draining. */
  static final Object DRAIN = new Object();

  /** Where the connection is in its cycle of requests. */
  enum Phase {
    /** Waiting for the next request head. */
    READING_HEAD,
    /** A request is being answered by its responder. */
    IN_RESPONSE,
    /** Its response is complete; the rest of its request is read and dropped before the next one. */
    FINISHING_REQUEST,
    /** The connection is closing (or lingering before its close): nothing more is dispatched. */
    CLOSING
  }

  /** Chooses the responder of a request; {@link ResponderChooser#choose} but in tests. */
  interface Responders {
    Responder choose(ClientRequest client);
  }

  private final GatewayServices services;
  private final RequestFlowControl flowControl;
  private final RequestHeadTimeoutHandler headTimeout;
  private final ResponderChooser chooser;
  private final Responders responders;
  /** Counts the response body bytes sent, for the access log; null when it is off. */
  private final @Nullable SentBodyBytes sentBodyBytes;
  private @Nullable ChannelHandlerContext ctx;
  private Phase phase = Phase.READING_HEAD;
  private @Nullable Responder responder;
  private @Nullable ClientRequest current;
  /** The request whose rest is read and dropped ({@link Phase#FINISHING_REQUEST}), so a timer knows its own. */
  private @Nullable ClientRequest finishing;
  private boolean requestBodyDone = true;
  /** The request body is dropped as it comes (the responder does not take it, or it is answered). */
  private boolean discardingBody;
  /** The responder asked for the next piece of the request body ({@link #requestBody}). */
  private boolean bodyDemand;
  /** The connection is being closed because the client took none of its response for idle-write. */
  private boolean writeStalled;

  EdgeHandler(GatewayServices services, RequestFlowControl flowControl, RequestHeadTimeoutHandler headTimeout,
      @Nullable SentBodyBytes sentBodyBytes) {
    this(services, flowControl, headTimeout, sentBodyBytes, null);
  }

  /** @param responders how requests are answered; null for the gateway's {@link ResponderChooser} */
  EdgeHandler(GatewayServices services, RequestFlowControl flowControl, RequestHeadTimeoutHandler headTimeout,
      @Nullable SentBodyBytes sentBodyBytes, @Nullable Responders responders) {
    this.services = requireNonNull(services, "services");
    this.flowControl = requireNonNull(flowControl, "flowControl");
    this.headTimeout = requireNonNull(headTimeout, "headTimeout");
    this.chooser = new ResponderChooser(services);
    this.responders = responders != null ? responders : chooser::choose;
    this.sentBodyBytes = sentBodyBytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    flowControl.consumer(this);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    headTimeout.awaitRequest();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Responder r = responder;
    ClientRequest c = current;
    responder = null;
    current = null;
    phase = Phase.CLOSING;
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
    if (msg instanceof AcceptedRequest accepted) {
      onRequest(accepted.head(), accepted.verdict());
      if (accepted.head() instanceof HttpContent whole) {
        onContent(whole); // an HTTP/2 stream's request without a body comes whole
      }
    } else if (msg instanceof HttpContent content) {
      onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public boolean accepts(HttpObject msg) {
    if (msg instanceof HttpRequest) {
      return phase == Phase.READING_HEAD;
    }
    return phase != Phase.IN_RESPONSE || discardingBody || bodyDemand;
  }

  @Override
  public boolean wantsInput() {
    return phase == Phase.READING_HEAD
        || (phase != Phase.CLOSING && !requestBodyDone && (discardingBody || bodyDemand));
  }

  private void onRequest(HttpRequest request, RequestGuard.Accepted accepted) {
    phase = Phase.IN_RESPONSE;
    requestBodyDone = false;
    bodyDemand = false;
    String sent = accepted.pathAndQuery();
    // Reads are checked here; other methods go to the origin, which decides (nothing of them is stored).
    Entitlements.Guard entitled = services.entitlements().any() && isRead(request)
        ? services.entitlements().guard(accepted.route().name(), sent) : null;
    String target = entitled == null ? sent : entitled.rule().cacheTarget(sent);
    ClientRequest client = new ClientRequest(this, ctx, request, accepted.route(), target, services);
    current = client;
    Responder r = entitled == null ? responders.choose(client) : new EntitledResponder(client, chooser, entitled, sent);
    responder = r;
    discardingBody = !r.consumesBody();
    r.start();
  }

  private static boolean isRead(HttpRequest request) {
    return HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
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
    phase = Phase.CLOSING;
    requestBodyDone = true;
    flowControl.stop();
    String reason = "malformed chunked body: " + cause.getMessage();
    log.info("400 to {} for {}: {}", ctx.channel().remoteAddress(),
        c == null ? "the request just answered" : c.method() + " " + RequestGuardHandler.abbreviate(c.pathAndQuery()),
        reason);
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
      if (phase == Phase.FINISHING_REQUEST) {
        finishing = null;
        continueWithNextRequest();
      }
    }
  }

  /**
   * Called by a responder that consumes the body when it can take the next piece: a waiting piece
   * is handed over at once, otherwise the connection reads.
   */
  void requestBody() {
    if (requestBodyDone || phase == Phase.CLOSING) {
      return;
    }
    bodyDemand = true;
    flowControl.resume();
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
        close();
      }
      return; // a busy connection closes when its response completes (services.draining())
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * An exception no handler dealt with. A broken connection (an {@link IOException}) just closes.
   * Anything else is a fault of the gateway's: when a request is being answered and no head of its
   * response was written, the client gets a {@code 500} ({@code Connection: close}) before the
   * close, rather than a connection cut without a word; once a head went out, the response is cut
   * by the close, so a body never looks complete when it is not.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      // A tablet closed with a reset (a browser tab shut, a load tool stopped): nothing to act on.
      log.debug("client connection {} broken: {}", ctx.channel().remoteAddress(), cause.toString());
      close();
      return;
    }
    ClientRequest c = current;
    boolean unanswered = phase == Phase.IN_RESPONSE && ctx.channel().isActive()
        && (c == null || (!c.ended() && !c.headStarted())); // null: it failed before its ClientRequest
    if (!unanswered) {
      log.warn("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      close();
      return;
    }
    Responder r = responder;
    responder = null;
    current = null;
    phase = Phase.CLOSING;
    flowControl.stop();
    if (r != null) {
      try {
        r.onClientClosed(); // releases what it holds, stops a fetch made only for this request
      } catch (RuntimeException e) {
        cause.addSuppressed(e); // a responder in a broken state: the 500 and the close go out all the same
      }
    }
    log.warn("client connection {} failed, 500 for {}", ctx.channel().remoteAddress(),
        c == null ? "a request" : c.method() + " " + RequestGuardHandler.abbreviate(c.pathAndQuery()), cause);
    if (c != null) {
      c.refused(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    }
    ErrorResponses.send(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "unexpected error in the gateway", true);
  }

  /** Called by a {@link ClientRequest} when its response is fully written. */
  void responseComplete(ClientRequest request, boolean keepAlive) {
    if (request != current) {
      return;
    }
    current = null;
    responder = null;
    boolean reuse = keepAlive && phase != Phase.CLOSING && !services.draining();
    if (!requestBodyDone) {
      if (reuse) {
        // A response can complete before the end of its own request is dispatched (a hit written
        // at once): read on to the end of the request, then go on with the connection.
        finishRequestThenContinue(request, RequestGuard.hasBody(request.request()));
      } else {
        lingerThenClose();
      }
      return;
    }
    if (!reuse) {
      close();
      return;
    }
    continueWithNextRequest();
  }

  private void continueWithNextRequest() {
    phase = Phase.READING_HEAD;
    headTimeout.awaitRequest();
    flowControl.resume();
  }

  /**
   * @param hasBody whether the request declared a body; without one, its end is already decoded
   *     and only waits to be dispatched, so no timer guards it (one less allocation per hit)
   */
  private void finishRequestThenContinue(ClientRequest request, boolean hasBody) {
    phase = Phase.FINISHING_REQUEST;
    finishing = request;
    discardingBody = true;
    if (hasBody) {
      // The task is this request's own: a later request finishing when it fires is not touched.
      ctx.executor().schedule(() -> {
        if (phase == Phase.FINISHING_REQUEST && finishing == request) {
          finishing = null;
          lingerThenClose(); // a body that does not end: the connection cannot be reused
        }
      }, RequestFlowControl.LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }
    flowControl.drain();
    if (phase == Phase.FINISHING_REQUEST && flowControl.wantsInput()) {
      ctx.read();
    }
  }

  /** The rest of the request is read and dropped, then the connection closes ({@link RequestFlowControl}). */
  private void lingerThenClose() {
    phase = Phase.CLOSING;
    flowControl.lingerThenClose();
  }

  private void close() {
    phase = Phase.CLOSING;
    flowControl.stop();
    ctx.close();
  }
}
