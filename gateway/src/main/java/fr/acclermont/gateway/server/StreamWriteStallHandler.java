package fr.acclermont.gateway.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WriteStallHandler}'s job for one HTTP/2 stream: resets a stream whose client took none of
 * its response for {@code timeouts.idle-write}. A stream has no socket and no outbound buffer of its
 * own; it is unwritable while its flow-control window (and the connection's) is used up and bytes
 * wait for it, so the watch is on writability: a stream that stays unwritable for the whole timeout
 * is stalled, and any return to writable (the client sent a {@code WINDOW_UPDATE}, so it reads) is
 * progress. A client reading slowly but steadily is never cut; its siblings on the connection are
 * not affected either way. Closing the stream's channel sends {@code RST_STREAM}; {@link EdgeHandler}
 * releases what the response holds, and the access log says {@code timeout}. Event loop only.
 */
final class StreamWriteStallHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(StreamWriteStallHandler.class);

  private final long idleNanos;
  private @Nullable ScheduledFuture<?> timer;

  StreamWriteStallHandler(long idleNanos) {
    this.idleNanos = idleNanos;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      cancel();
    } else if (timer == null) {
      timer = ctx.executor().schedule(() -> stalled(ctx), idleNanos, TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  private void stalled(ChannelHandlerContext ctx) {
    timer = null;
    if (!ctx.channel().isActive() || ctx.channel().isWritable()) {
      return;
    }
    // A stream channel names its connection's addresses and its stream id.
    log.info("resetting {}: took none of its response for {} ms", ctx.channel(),
        TimeUnit.NANOSECONDS.toMillis(idleNanos));
    ctx.fireUserEventTriggered(WriteStallHandler.WRITE_STALLED);
    ctx.close();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
