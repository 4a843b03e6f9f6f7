package fr.acclermont.gateway.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One request at a time: the connection does not auto-read, and a decoded message goes on to the
 * dispatch ({@link EdgeHandler}) only when the dispatch takes it ({@link Consumer#accepts}), so
 * responses are always in request order. A socket read may decode more than that (a pipelined next
 * request, or body bytes a responder has not asked for yet): those messages wait here, at most one
 * read's worth, because nothing more is read until they are handed on. The dispatch calls
 * {@link #resume} when it can take more; a read is asked for only when nothing waits and the
 * dispatch wants input ({@link Consumer#wantsInput}).
 *
 * <p>Why not Netty's {@code FlowControlHandler} (4.2.18): it counts the {@code read()} calls it
 * owes messages for, and resets that count when the read that decoded the current messages ends
 * ({@code channelReadComplete}). A {@code read()} issued while one of those messages is handled,
 * which is exactly what a response completing synchronously does (a memory hit asks for the next
 * request at once), is thus forgotten: the next request's head stays in its queue until another
 * {@code read()}. A consumer that re-reads on every {@code channelReadComplete} instead cannot tell
 * whether a read is still owed, and may be handed a second request head while it answers the
 * first. {@code RequestFlowControlTest} shows both handlers on the same input.
 *
 * <p>It also reads and drops the rest of a request before a close ({@link #lingerThenClose}), and
 * drops everything once {@link #stop}ped. Event loop only; one per connection.
 */
final class RequestFlowControl extends ChannelInboundHandlerAdapter {

  /** What the dispatch takes now: asked before each message is handed on, and before each read. */
  interface Consumer {

    /** Whether {@code msg} (a request head or a piece of a body) may be handed on now. */
    boolean accepts(HttpObject msg);

    /** Whether the connection should read more: a request head, or a piece of a body it takes now. */
    boolean wantsInput();
  }

  /** How long an unwanted request body is read and dropped before the connection closes. */
  static final long LINGER_MILLIS = 2000;

  private enum State {
    /** Messages go on to the dispatch when it takes them. */
    PASSING,
    /** The rest of the request is read and dropped; the connection closes at its end or after {@link #LINGER_MILLIS}. */
    LINGERING,
    /** The connection is closing: nothing more is read or handed on. */
    STOPPED
  }

  private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
  private @Nullable Consumer consumer;
  private @Nullable ChannelHandlerContext ctx;
  private State state = State.PASSING;

  /** The handler the messages go to: set once, before the connection reads. */
  void consumer(Consumer consumer) {
    this.consumer = consumer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.STOPPED;
    releasePending();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.LINGERING) {
      if (msg instanceof LastHttpContent) {
        ctx.close();
      }
      ReferenceCountUtil.release(msg);
      return;
    }
    if (state == State.STOPPED || !(msg instanceof HttpObject object)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (pending.isEmpty() && consumer.accepts(object)) {
      ctx.fireChannelRead(msg);
    } else {
      pending.add(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wantsInput() || (state == State.LINGERING && ctx.channel().isActive())) {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  /**
   * The dispatch can take more: the waiting messages it takes are handed on, in order, and if
   * none waits and it wants input, the connection reads.
   */
  void resume() {
    drain();
    if (wantsInput()) {
      ctx.read();
    }
  }

  /** Hands on the waiting messages the dispatch takes now, in order. */
  void drain() {
    while (state == State.PASSING && !pending.isEmpty() && consumer.accepts((HttpObject) pending.peek())) {
      ctx.fireChannelRead(pending.poll());
    }
  }

  /** Whether nothing waits here and the dispatch wants input. */
  boolean wantsInput() {
    return state == State.PASSING && pending.isEmpty() && consumer.wantsInput();
  }

  /** The connection is closing: what waits is released, nothing more is read or handed on. */
  void stop() {
    if (state == State.PASSING) {
      state = State.STOPPED;
    }
    releasePending();
  }

  /**
   * The response went out before the request body was read (a 413, an early origin answer): an
   * unread body would be parsed as the next request, so the connection must close. Closing with
   * unread bytes makes the kernel send a reset that can destroy the response before the client
   * reads it, so the rest of the body is read and dropped first, for a bounded time.
   */
  void lingerThenClose() {
    state = State.LINGERING;
    releasePending();
    ChannelHandlerContext ctx = this.ctx;
    ctx.executor().schedule(() -> {
      ctx.close();
    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    ctx.read();
  }

  /** Whether the rest of the request is being read and dropped before the close. */
  boolean lingering() {
    return state == State.LINGERING;
  }

  private void releasePending() {
    Object msg;
    while ((msg = pending.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }
}
