package fr.acclermont.loadtest.origin;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.util.concurrent.Future;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.Executor;

/**
 * Holds one connection's outbound bytes until the shared {@link UplinkShaper} has paid for
 * them, then releases them to the socket one piece (at most 16 KiB, a retained slice of the
 * written buffer) at a time. Sits at the head of the pipeline, so it meters the encoded bytes:
 * headers and bodies of every response, control endpoints included.
 *
 * <p>Held writes are kept in a {@link PendingWriteQueue}, which counts them against the
 * channel's write-buffer water marks: while this handler holds more than the high-water mark the
 * channel is unwritable, so the origin's {@code ChunkedWriteHandler} stops generating content.
 * A connection therefore holds at most the high-water mark plus one chunk, whatever the size of
 * the object. (A held message counts in full until its last byte leaves; the origin's messages
 * are chunks of at most 64 KiB, well under its 128/256 KiB water marks.) Each written message's
 * promise completes once all its bytes have reached the socket, in order. Messages other than
 * {@link ByteBuf} (the demo origin writes none) pass unmetered, in order.
 *
 * <p>A connection asks for tokens only while less than one piece it was granted still waits in
 * the channel's own outbound buffer: a client that reads slowly backs up its socket, and then
 * leaves the uplink to the others rather than piling granted bytes in memory.
 *
 * <p>One instance per channel, event-loop confined: grants arrive through {@link #executor()}.
 * Everything held is released, and every held promise failed, when the channel closes.
 */
final class UplinkShapingHandler extends ChannelDuplexHandler implements UplinkShaper.Flow {

  /** Granted bytes still queued in the channel's outbound buffer, past which no more are asked. */
  private static final int MAX_UNWRITTEN_BYTES = UplinkShaper.PIECE_BYTES;

  private final UplinkShaper uplink;
  private ChannelHandlerContext ctx;
  private PendingWriteQueue held;
  /** Readable bytes of the buffers in {@link #held}. */
  private long heldBytes;
  /** Bytes released to the outbound buffer whose write has not completed yet. */
  private long unwrittenBytes;
  private boolean awaitingGrant;
  /** Set while {@link #pump(int)} runs: flushes and write completions during it need no pump of their own. */
  private boolean pumping;
  private boolean closed;

  UplinkShapingHandler(UplinkShaper uplink) {
    this.uplink = requireNonNull(uplink, "uplink");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.held = new PendingWriteQueue(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    discard();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    discard();
    ctx.fireChannelInactive();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (closed) {
      // The channel is gone: the next handler fails the write and releases the message (R2).
      ctx.write(msg, promise);
      return;
    }
    if (msg instanceof ByteBuf buf) {
      heldBytes += buf.readableBytes();
    }
    held.add(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (held.isEmpty()) {
      ctx.flush();
    } else if (!pumping) {
      pump(0);
    }
    // While pumping, the loop in progress sends what was just written and flushes it.
  }

  @Override
  public Executor executor() {
    return ctx.executor();
  }

  @Override
  public void granted(int bytes) {
    awaitingGrant = false;
    if (!closed) {
      pump(bytes);
    }
  }

  /**
   * Sends {@code paid} bytes (0 when nothing is paid for yet), then keeps sending as long as the
   * uplink pays at once; stops when it must wait for a grant, when nothing is held, or when the
   * socket is backed up.
   */
  private void pump(int paid) {
    pumping = true;
    try {
      int bytes = paid;
      while (true) {
        send(bytes);
        if (closed || awaitingGrant || held.isEmpty() || unwrittenBytes >= MAX_UNWRITTEN_BYTES) {
          return;
        }
        // send() left a readable buffer at the head, so there is something to pay for.
        bytes = (int) Math.max(1, Math.min(UplinkShaper.PIECE_BYTES, heldBytes));
        if (!uplink.acquire(this, bytes)) {
          awaitingGrant = true;
          return;
        }
      }
    } finally {
      pumping = false;
    }
  }

  /** Writes {@code bytes} of the held buffers (and the unmetered messages around them), then flushes. */
  private void send(int bytes) {
    int left = bytes;
    boolean wrote = false;
    while (true) {
      wrote |= passUnmetered();
      if (left == 0 || held.isEmpty()) {
        break;
      }
      ByteBuf head = (ByteBuf) held.current();
      int n = Math.min(left, head.readableBytes());
      left -= n;
      heldBytes -= n;
      unwrittenBytes += n;
      ChannelPromise piece = ctx.newPromise();
      piece.addListener(future -> pieceWritten(n, future));
      ctx.write(head.readRetainedSlice(n), piece);
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  /**
   * Writes the messages at the head that cost no tokens: an exhausted buffer (its bytes went as
   * slices; writing it now completes its promise after them, in order), an empty one, or
   * anything that is not a buffer.
   */
  private boolean passUnmetered() {
    boolean wrote = false;
    while (!held.isEmpty()) {
      Object head = held.current();
      if (head instanceof ByteBuf buf && buf.isReadable()) {
        return wrote;
      }
      held.removeAndWrite();
      wrote = true;
    }
    return wrote;
  }

  private void pieceWritten(int bytes, Future<?> future) {
    unwrittenBytes -= bytes;
    if (future.isSuccess() && !pumping && !closed) {
      pump(0);
    }
  }

  /** Releases everything held and leaves the uplink; idempotent. */
  private void discard() {
    if (closed) {
      return;
    }
    closed = true;
    uplink.cancel(this);
    if (held != null) {
      held.removeAndFailAll(new ClosedChannelException());
    }
    heldBytes = 0;
  }
}
