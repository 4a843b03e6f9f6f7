package fr.acclermont.gateway.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a client connection that takes none of the response bytes queued for it for
 * {@code timeouts.idle-write} ({@link io.netty.handler.timeout.IdleStateHandler}'s writer idleness
 * with {@code observeOutput}, narrowed): progress is bytes leaving the outbound buffer for the
 * socket, so a client reading slowly but steadily is never cut, and a connection with nothing
 * queued (waiting for the origin, or for the next request) is not watched at all. The responders
 * stop producing while the connection is not writable, so a client that reads nothing holds its
 * write buffer's high water mark (plus one piece) until then; closing it makes {@link EdgeHandler}
 * release what its response holds, and the access log says {@code timeout}.
 *
 * <p>Bytes leaving the outbound buffer are not enough on their own: the kernel's send buffer
 * (autotuned up to 4 MiB on Linux) wakes the writer only once a third or so of it is free, so a
 * client steadily reading 64 KiB every 200 ms shows no progress there for seconds. On the native
 * transport the kernel is asked too ({@code TCP_INFO}'s time since it last sent data): data
 * going out is progress, unless it is a retransmission (a client gone without a word is
 * retransmitted to until TCP gives up; that is no progress). Zero-window probes carry no data.
 *
 * <p>The watch starts when a flush leaves bytes queued or the connection turns unwritable, and
 * runs every quarter of the timeout while bytes stay queued, so a stall is cut after 1 to 1.25
 * times the timeout; a connection whose bytes all go out at once allocates nothing. It sits first
 * in the pipeline, next to the socket. Time is the event loop's ticker (the system's, or a test
 * channel's frozen one). Event loop only.
 */
final class WriteStallHandler extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(WriteStallHandler.class);

  /** Fired to the handlers behind before the connection is closed for a write stall. */
  static final Object WRITE_STALLED = new Object();

  private final long idleNanos;
  private final Runnable check;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ScheduledFuture<?> timer;
  private long progressNanos;
  /** What the outbound buffer looked like at the last look: its head message, how far it was written, its total. */
  private @Nullable Object lastCurrent;
  private long lastCurrentProgress;
  private long lastPending;
  /** Reused for each look at the kernel's view (native transport only). */
  private @Nullable EpollTcpInfo tcpInfo;

  WriteStallHandler(long idleNanos) {
    this.idleNanos = idleNanos;
    this.check = this::check;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
    if (timer == null && pendingBytes() > 0) {
      start();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (timer == null && !ctx.channel().isWritable()) {
      start();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private long pendingBytes() {
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  private void start() {
    if (!ctx.channel().isActive()) {
      return;
    }
    progressNanos = ctx.executor().ticker().nanoTime();
    observe(ctx.channel().unsafe().outboundBuffer());
    schedule(Math.max(idleNanos / 4, 1));
  }

  /** Whether bytes went to the socket since the last look; records this one. */
  private boolean observe(@Nullable ChannelOutboundBuffer buffer) {
    if (buffer == null) {
      return false;
    }
    Object current = buffer.current();
    long currentProgress = buffer.currentProgress();
    long pending = buffer.totalPendingWriteBytes();
    boolean moved = current != lastCurrent || currentProgress != lastCurrentProgress || pending < lastPending;
    lastCurrent = current;
    lastCurrentProgress = currentProgress;
    lastPending = pending;
    return moved;
  }

  /** When the kernel last sent data to the client, not counting retransmissions; 0 when unknown. */
  private long kernelSentNanos(long now) {
    if (!(ctx.channel() instanceof EpollSocketChannel channel)) {
      return 0;
    }
    if (tcpInfo == null) {
      tcpInfo = new EpollTcpInfo();
    }
    channel.tcpInfo(tcpInfo);
    if (tcpInfo.retransmits() > 0) {
      return 0;
    }
    return now - TimeUnit.MILLISECONDS.toNanos(tcpInfo.lastDataSent());
  }

  private void check() {
    timer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    long now = ctx.executor().ticker().nanoTime();
    if (buffer == null || buffer.totalPendingWriteBytes() == 0) {
      lastCurrent = null; // all written: the watch starts again at the next flush that leaves bytes
      return;
    }
    if (observe(buffer)) {
      progressNanos = now;
    }
    progressNanos = Math.max(progressNanos, kernelSentNanos(now));
    long left = progressNanos + idleNanos - now;
    if (left <= 0) {
      stalled(buffer.totalPendingWriteBytes());
      return;
    }
    schedule(Math.min(Math.max(idleNanos / 4, 1), left));
  }

  private void stalled(long pending) {
    lastCurrent = null;
    log.info("closing {}: took none of its {} queued response bytes for {} ms", ctx.channel().remoteAddress(),
        pending, TimeUnit.NANOSECONDS.toMillis(idleNanos));
    ctx.fireUserEventTriggered(WRITE_STALLED);
    ctx.close();
  }

  private void schedule(long nanos) {
    timer = ctx.executor().schedule(check, nanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    lastCurrent = null;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
