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
 * The connection's write stall ({@code timeouts.idle-write}) on a frozen clock: bytes queued and
 * none leaving for the whole timeout close the connection at that instant, after telling the
 * handlers behind ({@link WriteStallHandler#WRITE_STALLED}), not a millisecond before; bytes
 * leaving start the wait again. Bytes are held as a socket that takes none holds them: written
 * past the high water mark and not flushed. (The real socket case is {@code SlowReaderTest}.)
 */
class WriteStallHandlerTest {

  private static final long IDLE_MILLIS = 1_000;

  private final List<Object> events = new ArrayList<>();

  private EmbeddedChannel channel() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    channel.pipeline().addLast(new WriteStallHandler(TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
          }
        });
    return channel;
  }

  private static void advance(EmbeddedChannel channel, long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void bytesQueuedNoneLeaving_closedAtTheTimeoutNotBefore() {
    EmbeddedChannel channel = channel();
    channel.write(Unpooled.wrappedBuffer(new byte[32])); // over the high water mark, nothing taken
    assertThat(channel.isWritable()).isFalse();

    advance(channel, IDLE_MILLIS - 1);
    assertThat(channel.isActive()).as("1 ms before the timeout").isTrue();
    assertThat(events).isEmpty();

    advance(channel, 1);
    assertThat(channel.isActive()).isFalse();
    assertThat(events).containsExactly(WriteStallHandler.WRITE_STALLED);
  }

  @Test
  void bytesLeaveBeforeTheTimeout_waitStartsAgainFromTheNextQueue() {
    EmbeddedChannel channel = channel();
    channel.write(Unpooled.wrappedBuffer(new byte[32]));
    advance(channel, IDLE_MILLIS - 100);
    channel.flush(); // every byte leaves
    advance(channel, 100);
    assertThat(channel.isActive()).as("at the first queue's timeout, its bytes gone").isTrue();
    channel.write(Unpooled.wrappedBuffer(new byte[32])); // then more is held
    assertThat(channel.isWritable()).isFalse();

    advance(channel, IDLE_MILLIS - 1);
    assertThat(channel.isActive()).as("1 ms before the timeout from the second queue").isTrue();
    advance(channel, 1);
    assertThat(channel.isActive()).isFalse();
    assertThat(events).containsExactly(WriteStallHandler.WRITE_STALLED);
    channel.finishAndReleaseAll();
  }
}
