package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One connection's shaping handler on an {@link EmbeddedChannel}, with the uplink on a manual clock. */
class UplinkShapingHandlerTest {

  /** 16 KiB per 10 ms, so the burst is exactly one piece. */
  private static final long RATE = 1_638_400;
  private static final int KIB = 1024;

  private final ManualTimer timer = new ManualTimer();
  private final UplinkShaper uplink = new UplinkShaper(RATE, timer::nanoTime, timer);
  private final List<Integer> pieceSizes = new ArrayList<>();
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    channel = new EmbeddedChannel();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(32 * KIB, 64 * KIB));
    channel.pipeline().addLast(new UplinkShapingHandler(uplink));
  }

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
    uplink.close();
  }

  @Test
  void write_100KiB_sentInPiecesOfAtMost16KiB() {
    byte[] content = pattern(100 * KIB);
    ChannelFuture write = channel.writeAndFlush(Unpooled.wrappedBuffer(content));
    runUntilDone(write);

    assertThat(write.isSuccess()).isTrue();
    assertThat(sent.toByteArray()).isEqualTo(content);
    assertThat(pieceSizes).allMatch(size -> size <= UplinkShaper.PIECE_BYTES);
    assertThat(pieceSizes.stream().filter(size -> size > 0)).hasSize(7);
    assertThat(uplink.grantedBytes()).isEqualTo(100 * KIB);
  }

  @Test
  void write_100KiB_promiseCompletesOnlyAfterLastPiece() {
    ChannelFuture write = channel.writeAndFlush(Unpooled.wrappedBuffer(pattern(100 * KIB)));
    drainOutbound();

    assertThat(sent.size()).isEqualTo(UplinkShaper.PIECE_BYTES);
    assertThat(write.isDone()).isFalse();
    runUntilDone(write);
    assertThat(write.isSuccess()).isTrue();
  }

  @Test
  void write_beyondHighWaterMark_unwritableUntilBelowLowWaterMark() {
    for (int i = 0; i < 5; i++) {
      channel.write(Unpooled.wrappedBuffer(pattern(16 * KIB)));
    }
    channel.flush();
    drainOutbound();

    // 64 KiB held (80 KiB written, one piece sent): the origin's ChunkedWriteHandler would stop here.
    assertThat(channel.isWritable()).isFalse();
    while (sent.size() < 64 * KIB) {
      step();
    }
    // A held message counts in full until its last byte leaves: 16 KiB are left.
    assertThat(channel.isWritable()).isTrue();
  }

  @Test
  void write_emptyBufferAfterData_keepsOrderWithoutTokens() {
    byte[] content = pattern(20 * KIB);
    ChannelFuture data = channel.write(Unpooled.wrappedBuffer(content));
    ChannelFuture last = channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
    drainOutbound();

    assertThat(last.isDone()).isFalse();
    runUntilDone(last);
    assertThat(data.isSuccess()).isTrue();
    assertThat(last.isSuccess()).isTrue();
    assertThat(sent.toByteArray()).isEqualTo(content);
    assertThat(uplink.grantedBytes()).isEqualTo(20 * KIB);
  }

  @Test
  void write_emptyBufferWhenNothingHeld_passesAtOnce() {
    ChannelFuture write = channel.writeAndFlush(Unpooled.EMPTY_BUFFER);

    assertThat(write.isSuccess()).isTrue();
    assertThat(uplink.grantedBytes()).isZero();
  }

  @Test
  void close_withHeldData_releasesBuffersAndFailsPromises() {
    ByteBuf held = Unpooled.wrappedBuffer(pattern(100 * KIB));
    ChannelFuture write = channel.writeAndFlush(held);
    drainOutbound();

    channel.close();
    assertThat(held.refCnt()).isZero();
    assertThat(write.cause()).isInstanceOf(ClosedChannelException.class);
    // A dispatch that finds nothing queued grants nothing.
    while (timer.runNext()) {
      channel.runPendingTasks();
    }
    assertThat(uplink.grantedBytes()).isEqualTo(UplinkShaper.PIECE_BYTES);
  }

  @Test
  void write_afterClose_failedAndReleased() {
    channel.close();
    ByteBuf late = Unpooled.wrappedBuffer(pattern(KIB));

    ChannelFuture write = channel.writeAndFlush(late);

    assertThat(write.isSuccess()).isFalse();
    assertThat(late.refCnt()).isZero();
  }

  /** Advances the uplink's clock to its next dispatch and lets the channel send what it was granted. */
  private void step() {
    assertThat(timer.runNext()).as("a dispatch is scheduled").isTrue();
    channel.runPendingTasks();
    drainOutbound();
  }

  private void runUntilDone(ChannelFuture future) {
    drainOutbound();
    for (int i = 0; i < 1_000 && !future.isDone(); i++) {
      step();
    }
  }

  private void drainOutbound() {
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      pieceSizes.add(buf.readableBytes());
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      sent.writeBytes(bytes);
      buf.release();
    }
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 8));
    }
    return bytes;
  }
}
