package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the time a connection may hold the gateway without a complete request head. It sits
 * before the HTTP codec, so it sees raw bytes: while the gateway waits for a request, a connection
 * that sends nothing is closed quietly after the keep-alive timeout, and one that has started a
 * request but not finished its headers gets 408 and is cut off after the request-header timeout
 * (a client sending a byte a second does not hold a connection for long).
 *
 * <p>{@link EdgeHandler} tells it when a request is awaited, {@link RequestGuardHandler} when a head
 * arrived. Time is the event loop's ticker. Event loop only.
 *
 * <p>One timer per connection, not one per request: the handler keeps a deadline, and a single
 * check task runs at most every {@code min(request-header, keep-alive)} and at each deadline,
 * rescheduling itself. A connection serving requests back to back thus allocates a timer task
 * every few seconds rather than two per request (the allocation guard counts them). A deadline is
 * never missed: the check runs no later than the earliest deadline that can be set before it.
 */
final class RequestHeadTimeoutHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RequestHeadTimeoutHandler.class);
  private static final String REQUEST_TIMEOUT_BODY = "408 Request Timeout: request headers not received in time\n";
  private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\n"
      + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + REQUEST_TIMEOUT_BODY.length()
      + "\r\nConnection: close\r\n\r\n" + REQUEST_TIMEOUT_BODY).getBytes(StandardCharsets.US_ASCII);

  private final long headerNanos;
  private final long keepAliveNanos;
  private final AccessLog accessLog;
  private final Clock clock;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ScheduledFuture<?> timer;
  /** When the pending check runs (nanoTime), if {@link #timer} is set. */
  private long timerAtNanos;
  /** What expires at {@link #deadlineNanos}: nothing while a request is being served. */
  private Deadline deadline = Deadline.NONE;
  private long deadlineNanos;
  private final Runnable check = this::check;
  private boolean awaiting;
  private boolean bytesSeen;
  /** When the first byte of the awaited request arrived (access log). */
  private long firstByteNanos;
  private long firstByteMillis;

  RequestHeadTimeoutHandler(long headerNanos, long keepAliveNanos, AccessLog accessLog, Clock clock) {
    this.headerNanos = headerNanos;
    this.keepAliveNanos = keepAliveNanos;
    this.accessLog = requireNonNull(accessLog, "accessLog");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** What a deadline means when it passes. */
  private enum Deadline {
    /** No timeout: a request is being served. */
    NONE,
    /** No byte of the next request within the keep-alive timeout: close quietly. */
    IDLE,
    /** A request head not complete within the request-header timeout: 408. */
    HEADER
  }

  /** The gateway is ready for the next request on this connection. */
  void awaitRequest() {
    awaiting = true;
    bytesSeen = false;
    setDeadline(Deadline.IDLE, keepAliveNanos);
  }

  /** A request head was decoded: no timeout applies until the next {@link #awaitRequest}. */
  void requestStarted() {
    awaiting = false;
    deadline = Deadline.NONE;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (awaiting && !bytesSeen && msg instanceof ByteBuf buf && buf.isReadable()) {
      bytesSeen = true;
      firstByteNanos = nanoTime();
      firstByteMillis = clock.millis();
      setDeadline(Deadline.HEADER, headerNanos);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void setDeadline(Deadline kind, long inNanos) {
    long now = nanoTime();
    deadline = kind;
    deadlineNanos = now + inNanos;
    // The check runs at least every min(request-header, keep-alive): a deadline set later can be
    // no earlier than that, so the pending check only moves when it would run after this deadline.
    long at = now + Math.min(inNanos, Math.min(headerNanos, keepAliveNanos));
    if (timer == null || timerAtNanos - at > 0) {
      schedule(at - now);
    }
  }

  private void check() {
    timer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = nanoTime();
    if (deadline != Deadline.NONE && now - deadlineNanos >= 0) {
      Deadline expired = deadline;
      deadline = Deadline.NONE;
      if (expired == Deadline.IDLE) {
        ctx.close();
      } else {
        headerExpired();
      }
      return;
    }
    long next = Math.min(headerNanos, keepAliveNanos);
    if (deadline != Deadline.NONE) {
      next = Math.min(next, deadlineNanos - now);
    }
    schedule(next);
  }

  private void headerExpired() {
    log.info("408 to {}: request headers not complete within {} ms", ctx.channel().remoteAddress(),
        TimeUnit.NANOSECONDS.toMillis(headerNanos));
    ChannelFuture written = ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT));
    written.addListener(ChannelFutureListener.CLOSE);
    if (accessLog.enabled()) {
      long timeMillis = firstByteMillis;
      long startNanos = firstByteNanos;
      long headNanos = nanoTime() - startNanos;
      InetAddress client = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
      written.addListener(f -> accessLog.log(new AccessLogEntry(timeMillis, client, null, null, null, 408,
          f.isSuccess() ? REQUEST_TIMEOUT_BODY.length() : 0, null, headNanos, nanoTime() - startNanos, -1, null,
          f.isSuccess() ? AccessLogEntry.End.COMPLETE : AccessLogEntry.End.CLIENT_CLOSED)));
    }
  }

  /** The event loop's time (the system's on a real loop; a test channel's may be frozen). */
  private long nanoTime() {
    return ctx.executor().ticker().nanoTime();
  }

  private void schedule(long nanos) {
    cancel();
    timerAtNanos = nanoTime() + nanos;
    timer = ctx.executor().schedule(check, nanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
