package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.metrics.OriginOutcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One request to an origin and its response, over a pooled keep-alive connection.
 *
 * <p>Flow control: the origin connection does not auto-read. The listener pulls the body with
 * {@link #read()} when its client can take more, so a slow client pauses the origin read
 * (STYLE B1, B2). While a read is pending and nothing arrives for the idle timeout, the origin is
 * declared stalled. A request body that makes no progress for the idle timeout ends the exchange
 * too: as an origin timeout when the origin stopped taking it, else as the client's stall.
 *
 * <p>Retry: a request without a body that fails on a reused connection before any response byte
 * (the origin closed it while it sat idle) is retried once on a new connection, if its method is
 * idempotent: a proxy never retries another (RFC 9110 9.2.2), which the origin may have acted on.
 *
 * <p>Upstreams: the exchange goes to the first of its route's upstreams ({@link OriginRoute#order}:
 * parents, then the origin) that is up; the origin, last, is always tried. A parent that fails
 * before answering (refused, TLS, connect timeout; or, for an idempotent request without a body,
 * closed before any response byte or answered 502, 503 or 504) passes the request to the next: a
 * school never loses a request its académie tier could not take, as long as the origin can.
 *
 * <p>Health: the exchange tells its upstream's {@link OriginHealth} what it learnt about it,
 * once: the status of the response head, or a connect failure or timeout before it. What happens
 * after a good head (a reset or stall mid-body) is about that response, not about reachability.
 * While the origin is down, exchanges go one at a time ({@link OriginHealth#tryTrial}); the
 * others fail at once with {@link OriginOutcome#CONNECT}, unsent and uncounted. Probes bypass this.
 *
 * <p>Threading: every method runs on the exchange's event loop. Not thread-safe.
 */
public final class OriginExchange {

  private enum State { CONNECTING, SENT, RECEIVING, DONE }

  /** What an exchange does while its origin is known down ({@link OriginHealth#up()} false). */
  enum WhileDown {
    /**
     * Every exchange but a health probe: it waits its turn, one at a time going through as the
     * trial ({@link OriginHealth#tryTrial}), the others failing at once, unsent.
     */
    ONE_AT_A_TIME,
    /** A health probe: sent anyway, as telling whether the origin is back is its purpose. */
    SENT_ANYWAY
  }

  private final OriginRoute route;
  /** The upstreams to try, in order; the last is the origin (or, for a probe, the one probed). */
  private final List<Upstream> candidates;
  private int candidate;
  /** The upstream of the attempt under way. */
  private Upstream upstream;
  private final EventLoop loop;
  private final HttpRequest request;
  private final RequestBody body;
  private final RequestBodyWatch.BodyRate bodyRate;
  private final OriginResponseListener listener;
  private final GatewayMetrics metrics;
  private final long startNanos = System.nanoTime();
  private State state = State.CONNECTING;
  private @Nullable Channel channel;
  private boolean reusedConnection;
  private boolean retried;
  private boolean skippingInformational;
  /** An interim response came: the origin took the request, which is then never retried. */
  private boolean interimReceived;
  private boolean requestSent;
  /** Whether this exchange waits its turn while the origin is down (every one but a probe). */
  private final WhileDown whileDown;
  /** Whether this exchange is the one request let through while the origin is down. */
  private boolean trial;
  /** While the request body streams: who stalls it, if anyone does. */
  private @Nullable RequestBodyWatch bodyWatch;
  private @Nullable ScheduledFuture<?> timer;
  private int status;
  private boolean keepAliveResponse;

  /** @param candidates the upstreams to try, in order, at least one; the last is tried even if down */
  OriginExchange(List<Upstream> candidates, EventLoop loop, HttpRequest request, RequestBody body,
      RequestBodyWatch.BodyRate bodyRate, OriginResponseListener listener, GatewayMetrics metrics,
      WhileDown whileDown) {
    this.candidates = requireNonNull(candidates, "candidates");
    this.upstream = candidates.get(0);
    this.route = upstream.route();
    this.loop = requireNonNull(loop, "loop");
    this.request = requireNonNull(request, "request");
    this.body = requireNonNull(body, "body");
    this.bodyRate = requireNonNull(bodyRate, "bodyRate");
    this.listener = requireNonNull(listener, "listener");
    this.metrics = requireNonNull(metrics, "metrics");
    this.whileDown = requireNonNull(whileDown, "whileDown");
  }

  void start() {
    while (candidate < candidates.size() - 1 && !candidates.get(candidate).health().up()) {
      candidate++; // a parent known down: its probes tell when it is back, the next one is asked
    }
    upstream = candidates.get(candidate);
    if (whileDown == WhileDown.ONE_AT_A_TIME && !trial && !upstream.health().up()) {
      if (!upstream.health().tryTrial()) {
        // Another request is checking whether the origin is back: fail at once, not at the
        // connect timeout. Later, on the loop: the caller has not got this exchange yet.
        loop.execute(this::refuseWhileDown);
        return;
      }
      trial = true;
    }
    OriginConnectionPool.ConnectionChoice choice =
        retried ? OriginConnectionPool.ConnectionChoice.NEW : OriginConnectionPool.ConnectionChoice.ANY;
    upstream.pool().acquire(loop, choice).addListener((Future<OriginConnectionPool.Lease> f) -> {
      if (state == State.DONE) {
        if (f.isSuccess()) {
          f.getNow().channel().close(); // aborted while connecting
        }
        return;
      }
      if (!f.isSuccess()) {
        fail(OriginOutcome.CONNECT, f.cause());
        return;
      }
      attach(f.getNow());
    });
  }

  private void attach(OriginConnectionPool.Lease lease) {
    Channel ch = lease.channel();
    this.channel = ch;
    this.reusedConnection = lease.reused();
    ch.pipeline().get(OriginChannelHandler.class).bind(this);
    state = State.SENT;
    HttpRequest request = upstream.aim(this.request);
    if (body == RequestBody.STREAMED) {
      ch.writeAndFlush(request).addListener(writeFailureCloses());
      long idleMillis = route.config().idleTimeout().toMillis();
      bodyWatch = new RequestBodyWatch(loop, TimeUnit.MILLISECONDS.toNanos(idleMillis), bodyRate,
          () -> fail(OriginOutcome.TIMEOUT, new OriginFailureException("origin stopped reading the request body:"
              + " nothing taken within " + idleMillis + " ms")),
          this::clientStoppedSending);
      listener.onRequestHeadSent();
    } else {
      ch.write(request).addListener(writeFailureCloses());
      ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(writeFailureCloses());
      requestComplete();
    }
  }

  private ChannelFutureListener writeFailureCloses() {
    return f -> {
      if (!f.isSuccess()) {
        f.channel().close(); // surfaces as channelInactive -> onClosed
      }
    };
  }

  /** Streams a piece of the request body (after {@link OriginResponseListener#onRequestHeadSent}). */
  public Future<Void> writeBody(HttpContent content) {
    Channel ch = channel;
    if (ch == null || state == State.DONE) {
      ReferenceCountUtil.release(content);
      return loop.newFailedFuture(new OriginFailureException("origin exchange is over"));
    }
    boolean last = content instanceof LastHttpContent;
    int bytes = content.content().readableBytes();
    ChannelFuture future = ch.writeAndFlush(content);
    future.addListener(writeFailureCloses());
    if (bodyWatch != null) {
      bodyWatch.written(future, bytes);
    }
    if (last) {
      requestComplete();
    }
    return future;
  }

  private void requestComplete() {
    requestSent = true;
    stopBodyWatch();
    if (state != State.SENT) {
      return;
    }
    armResponseTimeout();
    channel.read();
  }

  private void armResponseTimeout() {
    arm(route.config().responseTimeout().toNanos(), "no response headers from the origin within "
        + route.config().responseTimeout().toMillis() + " ms");
  }

  /** Asks for more of the response body; the listener calls it when its client can take more. */
  public void read() {
    if (state != State.RECEIVING || channel == null) {
      return;
    }
    if (timer == null) {
      arm(route.config().idleTimeout().toNanos(), "origin stalled: no body bytes within "
          + route.config().idleTimeout().toMillis() + " ms");
    }
    channel.read();
  }

  /** Ends the exchange early because its client is gone; the connection is closed, not reused. */
  public void abort() {
    if (state == State.DONE) {
      return;
    }
    state = State.DONE;
    endTrial();
    closeConnection();
  }

  /**
   * Not the origin's failure: the exchange just ends, its connection closed (the origin sees the
   * request cut, never a complete body), not returned to the pool.
   */
  private void clientStoppedSending(String why) {
    if (state != State.DONE) {
      abort();
      listener.onRequestBodyStalled(why);
    }
  }

  private void refuseWhileDown() {
    if (state == State.DONE) {
      return; // aborted meanwhile
    }
    state = State.DONE;
    listener.onFailure(OriginOutcome.CONNECT, new OriginFailureException("origin is down: not tried while"
        + " another request checks whether it is back"));
  }

  /** The trial's head came or it failed: the next request may try (after the health heard how it went). */
  private void endTrial() {
    if (trial) {
      trial = false;
      upstream.health().trialEnded();
    }
  }

  /** Detaches from the connection and closes it: after a failure its state is unknown. */
  private void closeConnection() {
    cancelTimer();
    stopBodyWatch();
    Channel ch = channel;
    channel = null;
    if (ch != null) {
      ch.pipeline().get(OriginChannelHandler.class).bind(null);
      ch.close();
    }
  }

  void onMessage(Object msg) {
    if (state == State.DONE) {
      ReferenceCountUtil.release(msg);
      return;
    }
    cancelTimer();
    if (msg instanceof HttpResponse response) {
      if (!response.decoderResult().isSuccess()) {
        ReferenceCountUtil.release(msg);
        fail(OriginOutcome.RESET, new OriginFailureException("malformed response from the origin: "
            + response.decoderResult().cause()));
        return;
      }
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        onInterim(response);
        return;
      }
      skippingInformational = false;
      status = response.status().code();
      upstream.health().answered(status);
      endTrial();
      if (isGatewayError(status) && mayTryNext(OriginOutcome.STATUS)) {
        // A parent with no answer of its own (HAProxy with no node left: 503; a tier gateway
        // whose fetch failed: 502, 504): the next upstream is asked; its body is not read.
        ReferenceCountUtil.release(msg);
        metrics.originRequest(route.name(), OriginOutcome.STATUS, System.nanoTime() - startNanos);
        closeConnection();
        tryNext();
        return;
      }
      state = State.RECEIVING;
      keepAliveResponse = HttpUtil.isKeepAlive(response);
      listener.onResponse(response);
    }
    if (msg instanceof HttpContent content) {
      if (skippingInformational) {
        content.release(); // the end of an interim response: nothing
        awaitFinalResponse();
        return;
      }
      if (!content.decoderResult().isSuccess()) {
        content.release();
        fail(OriginOutcome.RESET, new OriginFailureException("malformed body from the origin: "
            + content.decoderResult().cause()));
        return;
      }
      metrics.originBytes(route.name(), content.content().readableBytes());
      if (content instanceof LastHttpContent) {
        complete(content);
      } else {
        listener.onContent(content);
      }
    }
  }

  /**
   * A 1xx before the final response. The codec delivers each as a head followed by an empty
   * {@link LastHttpContent}, which is skipped. A {@code 100 Continue} is dropped: the request body
   * is sent without waiting for it, and clients get the gateway's own. A {@code 101} answers an
   * upgrade the gateway never requests ({@code Upgrade} is hop-by-hop, never forwarded): the bytes
   * that follow would not be HTTP/1.1, so the exchange fails and the connection is closed.
   */
  private void onInterim(HttpResponse interim) {
    if (HttpResponseStatus.SWITCHING_PROTOCOLS.equals(interim.status())) {
      fail(OriginOutcome.RESET, new OriginFailureException("origin switched protocols unasked (101)"));
      return;
    }
    skippingInformational = true;
    interimReceived = true;
    if (!HttpResponseStatus.CONTINUE.equals(interim.status())) {
      listener.onInterim(interim);
      if (state == State.DONE) {
        return; // the listener aborted
      }
    }
    awaitFinalResponse();
  }

  /**
   * Reads on for the final head after an interim response. That proves the origin alive (102
   * exists for that), so the response timeout starts again, rather than being left cancelled.
   */
  private void awaitFinalResponse() {
    if (requestSent) {
      armResponseTimeout(); // else armed when the body is sent: an upload may take longer than it
    }
    channel.read();
  }

  private void complete(HttpContent last) {
    state = State.DONE;
    stopBodyWatch();
    Channel ch = channel;
    ch.pipeline().get(OriginChannelHandler.class).bind(null);
    metrics.originRequest(route.name(), status >= 500 ? OriginOutcome.STATUS : OriginOutcome.OK,
        System.nanoTime() - startNanos);
    if (HttpUtil.isKeepAlive(request) && keepAliveResponse) {
      upstream.pool().release(ch);
    } else {
      ch.close();
    }
    listener.onContent(last);
  }

  void onClosed(@Nullable Throwable cause) {
    if (state == State.DONE) {
      return;
    }
    boolean beforeResponse = state == State.SENT;
    if (beforeResponse && reusedConnection && !retried && body == RequestBody.NONE && !interimReceived
        && idempotent(request.method())) {
      // The origin closed the idle connection as we reused it: try once more on a new one.
      retried = true;
      closeConnection();
      state = State.CONNECTING;
      start();
      return;
    }
    fail(OriginOutcome.RESET, cause != null ? cause
        : new OriginFailureException(beforeResponse ? "origin closed the connection before responding"
            : "origin closed the connection mid-body"));
  }

  /**
   * Whether a failure before the head passes the request on to the next upstream: only from a
   * parent, and only when the parent cannot have acted on it: it never connected (nothing of the
   * request, body included, was sent); or, for a request that is idempotent and has no body, it
   * closed before any response byte, or answered that it has no answer (502, 503, 504).
   */
  private boolean mayTryNext(OriginOutcome outcome) {
    if (!upstream.isParent() || candidate >= candidates.size() - 1) {
      return false;
    }
    return outcome == OriginOutcome.CONNECT
        || ((outcome == OriginOutcome.RESET || outcome == OriginOutcome.STATUS) && body == RequestBody.NONE
            && !interimReceived && idempotent(request.method()));
  }

  /** 502, 503 and 504: a gateway's answer that it has none (RFC 9110 15.6.3, 15.6.4, 15.6.5). */
  private static boolean isGatewayError(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  /** RFC 9110 9.2.2: methods whose repetition has the effect of one request. */
  private static boolean idempotent(HttpMethod method) {
    return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.PUT.equals(method)
        || HttpMethod.DELETE.equals(method) || HttpMethod.OPTIONS.equals(method) || HttpMethod.TRACE.equals(method);
  }

  private void fail(OriginOutcome outcome, Throwable cause) {
    if (state == State.DONE) {
      return;
    }
    boolean beforeHead = state != State.RECEIVING;
    state = State.DONE;
    closeConnection();
    metrics.originRequest(route.name(), outcome, System.nanoTime() - startNanos);
    if (beforeHead && (outcome == OriginOutcome.CONNECT || (outcome == OriginOutcome.TIMEOUT && requestSent))) {
      // A close before the head is not counted: on a reused connection it is the origin's own
      // keep-alive timeout (retried above), and an origin really gone refuses the next connection.
      // Nor is an upload the origin stopped reading: one slow endpoint, not an unreachable origin.
      upstream.health().failed(outcome, 0);
    }
    endTrial();
    if (beforeHead && mayTryNext(outcome)) {
      tryNext(); // this parent could not take the request, and it was not acted on
      return;
    }
    listener.onFailure(outcome, cause);
  }

  /** Sends the request again, from the start, to the next upstream. */
  private void tryNext() {
    candidate++;
    state = State.CONNECTING;
    retried = false;
    requestSent = false;
    interimReceived = false;
    start();
  }

  private void arm(long nanos, String message) {
    cancelTimer();
    timer = loop.schedule(() -> {
      timer = null;
      fail(OriginOutcome.TIMEOUT, new OriginFailureException(message));
    }, nanos, TimeUnit.NANOSECONDS);
  }

  private void stopBodyWatch() {
    if (bodyWatch != null) {
      bodyWatch.stop();
      bodyWatch = null;
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The route this exchange talks to. */
  public OriginRoute route() {
    return route;
  }
}
