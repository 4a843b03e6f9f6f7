package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The per-stream write stall: a channel unwritable for the whole timeout is closed after telling
 * the handlers behind ({@link WriteStallHandler#WRITE_STALLED}); one that becomes writable again in
 * time is left alone. Writability is driven as on a stream: bytes written and not flushed past the
 * high water mark, then flushed.
 */
class StreamWriteStallHandlerTest {

  private static final long IDLE_MILLIS = 1_000;

  private final List<Object> events = new ArrayList<>();

  private EmbeddedChannel channel() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    channel.pipeline().addLast(new StreamWriteStallHandler(TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
          }
        });
    return channel;
  }

  @Test
  void unwritableForTheWholeTimeout_closedAndReported() {
    EmbeddedChannel channel = channel();
    channel.write(Unpooled.wrappedBuffer(new byte[32])); // over the high water mark: unwritable
    assertThat(channel.isWritable()).isFalse();

    channel.advanceTimeBy(IDLE_MILLIS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).as("not yet").isTrue();

    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).isFalse();
    assertThat(events).containsExactly(WriteStallHandler.WRITE_STALLED);
  }

  @Test
  void writableAgainInTime_notClosed() {
    EmbeddedChannel channel = channel();
    channel.write(Unpooled.wrappedBuffer(new byte[32]));
    channel.advanceTimeBy(IDLE_MILLIS / 2, TimeUnit.MILLISECONDS);
    channel.flush(); // the window opened: the bytes left, the stream is writable
    assertThat(channel.isWritable()).isTrue();

    channel.advanceTimeBy(IDLE_MILLIS * 2, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    assertThat(channel.isActive()).isTrue();
    assertThat(events).isEmpty();
    channel.releaseOutbound();
    channel.finishAndReleaseAll();
  }
}
