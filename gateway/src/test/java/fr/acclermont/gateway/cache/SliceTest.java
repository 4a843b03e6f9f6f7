package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.Slice.Claim;
import fr.acclermont.gateway.cache.Slice.Kind;
import fr.acclermont.gateway.cache.Slice.Need;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One slice's bytes: the present runs its writes leave (touching and overlapping runs merged),
 * reads that share the slice's buffer, writes from several threads at once, the watchers told of
 * each change, and the slice's reference count. Claims are in {@link SliceClaimTest}, failed ones in
 * {@link SliceFailureTest}.
 */
class SliceTest extends SliceFixture {

  @Test
  void newSlice_empty_lengthIsCapacityAndNothingPresent() {
    Slice slice = slice(LENGTH);

    assertThat(slice.key()).isEqualTo(KEY);
    assertThat(slice.length()).isEqualTo(LENGTH);
    assertThat(slice.presentBytes()).isZero();
    assertThat(slice.isComplete()).isFalse();
    assertThat(slice.presentUntil(0)).isZero();
    assertThat(slice.isWatched()).isFalse();
    assertThat(slice.refCnt()).isEqualTo(1);
  }

  /** Writes are given as {@code from-to} runs, in order; the runs found afterwards likewise. */
  @ParameterizedTest(name = "writes {0} -> runs {1}")
  @CsvSource(delimiter = '|', value = {
      "0-10 | 0-10",
      "0-10 20-30 | 0-10 20-30",
      "20-30 0-10 | 0-10 20-30",
      "0-10 10-20 | 0-20",
      "10-20 0-10 | 0-20",
      "0-10 5-15 | 0-15",
      "5-15 0-10 | 0-15",
      "0-10 2-8 | 0-10",
      "2-8 0-10 | 0-10",
      "0-10 20-30 5-25 | 0-30",
      "0-10 20-30 10-20 | 0-30",
      "0-10 20-30 40-50 12-18 | 0-10 12-18 20-30 40-50",
      "0-10 20-30 40-50 15-45 | 0-10 15-50",
      "40-50 20-30 0-10 60-70 | 0-10 20-30 40-50 60-70",
      "0-10 20-30 40-50 60-70 0-100 | 0-100",
      "90-100 0-90 | 0-100",
  })
  void write_runs_touchingAndOverlappingRunsMerged(String writes, String expectedRuns) {
    Slice slice = slice(LENGTH);
    int expectedBytes = 0;
    for (String run : expectedRuns.split(" ")) {
      String[] bounds = run.split("-");
      expectedBytes += Integer.parseInt(bounds[1]) - Integer.parseInt(bounds[0]);
    }

    for (String run : writes.split(" ")) {
      String[] bounds = run.split("-");
      write(slice, Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
    }

    assertThat(String.join(" ", runs(slice))).isEqualTo(expectedRuns);
    assertThat(slice.presentBytes()).isEqualTo(expectedBytes);
    assertThat(slice.isComplete()).isEqualTo(expectedRuns.equals("0-100"));
  }

  @Test
  void presentUntil_offsets_endOfTheRunHoldingItOrTheOffset() {
    Slice slice = slice(LENGTH);
    write(slice, 10, 20);
    write(slice, 30, 40);

    assertThat(slice.presentUntil(0)).isEqualTo(0);
    assertThat(slice.presentUntil(9)).isEqualTo(9);
    assertThat(slice.presentUntil(10)).isEqualTo(20);
    assertThat(slice.presentUntil(19)).isEqualTo(20);
    assertThat(slice.presentUntil(20)).isEqualTo(20);
    assertThat(slice.presentUntil(35)).isEqualTo(40);
    assertThat(slice.presentUntil(99)).isEqualTo(99);
  }

  @Test
  void isComplete_everyByteWrittenInPieces_true() {
    Slice slice = slice(LENGTH);
    write(slice, 50, 100);
    assertThat(slice.isComplete()).isFalse();
    write(slice, 1, 50);
    assertThat(slice.isComplete()).isFalse();
    assertThat(slice.presentBytes()).isEqualTo(99);

    write(slice, 0, 1);

    assertThat(slice.isComplete()).isTrue();
    assertThat(slice.presentBytes()).isEqualTo(LENGTH);
    assertThat(slice.need(0, LENGTH)).isEqualTo(new Need(Kind.PRESENT, LENGTH, null));
    assertThat(slice.claimFirstGap(Integer.MAX_VALUE)).isNull();
  }

  @Test
  void write_fromAnIndexOfTheData_bytesLandAtTheAbsoluteOffset() {
    Slice slice = slice(LENGTH);
    ByteBuf data = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6});
    data.readerIndex(1); // the slice uses the index it is given, not the reader index
    try {
      slice.write(40, data, 2, 3);
    } finally {
      data.release();
    }

    ByteBuf read = slice.read(40, 3);
    try {
      assertThat(bytes(read)).containsExactly(3, 4, 5);
    } finally {
      read.release();
    }
    assertThat(runs(slice)).containsExactly("40-43");
  }

  /**
   * Fetches on several event loops write disjoint runs of one slice at the same time. Netty's
   * buffers are not safe for that, even at absolute indexes: the adaptive allocator's (the default
   * one) {@code setBytes} positions the buffer's one cached NIO buffer, then copies relative to
   * that position, so a write made meanwhile moves where the first one lands. Here the other write
   * comes at the worst moment, deterministically: while the first one takes its data's bytes.
   */
  @Test
  void write_anotherWriteMeanwhile_eachLandsAtItsOwnOffset() {
    Slice slice = new Slice(KEY, new AdaptiveByteBufAllocator().directBuffer(LENGTH, LENGTH));
    slices.add(slice);
    ByteBuf data = new WrappedByteBuf(Unpooled.wrappedBuffer(bytes(10, 20))) {
      @Override
      public ByteBuffer nioBuffer(int index, int length) {
        write(slice, 60, 70); // another fetch's write, from another event loop
        return super.nioBuffer(index, length);
      }
    };
    try {
      slice.write(10, data, 0, 10);
    } finally {
      data.release();
    }

    assertThat(runs(slice)).containsExactly("10-20", "60-70");
    for (int from : new int[] {10, 60}) {
      ByteBuf read = slice.read(from, 10);
      try {
        assertThat(bytes(read)).as("bytes at %d", from).containsExactly(ints(from, from + 10));
      } finally {
        read.release();
      }
    }
  }

  @Test
  void read_presentBytes_retainedSliceWithOwnIndices() {
    Slice slice = slice(LENGTH);
    write(slice, 0, LENGTH);
    ByteBuf buffer = alloc.allocated().get(0);

    ByteBuf first = slice.read(10, 5);
    ByteBuf second = slice.read(10, 5);
    try {
      assertThat(buffer.refCnt()).isEqualTo(3);
      assertThat(first.readableBytes()).isEqualTo(5);
      assertThat(bytes(first)).containsExactly(10, 11, 12, 13, 14);
      first.skipBytes(5); // a reader consuming its bytes moves nobody else
      assertThat(second.readerIndex()).isZero();
      assertThat(bytes(second)).containsExactly(10, 11, 12, 13, 14);
    } finally {
      first.release();
      second.release();
    }
    assertThat(buffer.refCnt()).isEqualTo(1);
    assertThat(slice.refCnt()).isEqualTo(1);
  }

  @Test
  void read_sliceReleasedWhileBytesAreQueued_bytesOutliveTheSlice() {
    Slice slice = slice(LENGTH);
    write(slice, 0, 10);
    ByteBuf buffer = alloc.allocated().get(0);
    ByteBuf queued = slice.read(0, 10);

    slice.release(); // evicted while a client's outbound queue still holds its bytes

    assertThat(slice.refCnt()).isZero();
    assertThat(buffer.refCnt()).isEqualTo(1);
    assertThat(bytes(queued)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    queued.release();
    assertThat(buffer.refCnt()).isZero();
  }

  @Test
  void watch_writeAndEndClaim_watcherToldEachTime() {
    Slice slice = slice(LENGTH);
    AtomicInteger told = new AtomicInteger();
    Watchers.Registration registration = slice.watch(watcher(told));
    Claim claim = slice.need(0, 10).claim();

    write(slice, 0, 5);
    assertThat(told).hasValue(1);
    write(slice, 5, 10);
    assertThat(told).hasValue(2);
    slice.endClaim(claim);
    assertThat(told).hasValue(3);

    assertThat(slice.isWatched()).isTrue();
    registration.cancel();
    assertThat(slice.isWatched()).isFalse();
    write(slice, 10, 20);
    assertThat(told).hasValue(3);
  }

  @Test
  void release_lastReference_bufferReleased() {
    Slice slice = slice(LENGTH);
    ByteBuf buffer = alloc.allocated().get(0);
    slice.retain(); // a reader's

    assertThat(slice.release()).isFalse();
    assertThat(buffer.refCnt()).isEqualTo(1);

    assertThat(slice.release()).isTrue();
    assertThat(buffer.refCnt()).isZero();
  }

  @Test
  void tryRetain_live_trueAndCounted() {
    Slice slice = slice(LENGTH);

    assertThat(slice.tryRetain()).isTrue();

    assertThat(slice.refCnt()).isEqualTo(2);
    slice.release();
  }

  @Test
  void tryRetain_afterRelease_falseAndStillFreed() {
    Slice slice = slice(LENGTH);
    slice.release();

    assertThat(slice.tryRetain()).isFalse();

    assertThat(slice.refCnt()).isZero();
    assertThat(alloc.allocated().get(0).refCnt()).isZero();
  }

  /** {@link #bytes(int, int)} as {@link #bytes(ByteBuf)} reads them. */
  private static int[] ints(int from, int to) {
    int[] ints = new int[to - from];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = (byte) (from + i);
    }
    return ints;
  }

  private static int[] bytes(ByteBuf buf) {
    int[] bytes = new int[buf.readableBytes()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = buf.getByte(buf.readerIndex() + i);
    }
    return bytes;
  }

  /** A watcher told synchronously, on the thread that signals. */
  private static Watchers.Watcher watcher(AtomicInteger told) {
    return new Watchers.Watcher() {
      @Override
      public EventExecutor executor() {
        return ImmediateEventExecutor.INSTANCE;
      }

      @Override
      public void onChange() {
        told.incrementAndGet();
      }
    };
  }
}
