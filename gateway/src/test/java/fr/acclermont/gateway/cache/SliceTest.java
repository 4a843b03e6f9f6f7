package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One slice's present runs and claims. Byte {@code i} of a slice is written as {@code (byte) i}, so
 * a read can be checked against its offsets. Every buffer comes from a {@link TrackingAllocator}
 * and must be released when a test ends.
 */
class SliceTest {

  private static final SliceKey KEY = new SliceKey(new CacheKey("cloud", "/a.bin"), 7, 0);
  private static final int LENGTH = 100;

  private final TrackingAllocator alloc = new TrackingAllocator();
  private final List<Slice> slices = new ArrayList<>();

  @AfterEach
  void releaseAndCheck() {
    for (Slice slice : slices) {
      if (slice.refCnt() > 0) {
        slice.release(slice.refCnt());
      }
    }
    alloc.assertAllReleased();
  }

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

  @Test
  void need_presentByte_presentUntilEndOfItsRun() {
    Slice slice = slice(LENGTH);
    write(slice, 10, 20);

    Need need = slice.need(12, 30);

    assertThat(need.kind()).isEqualTo(Kind.PRESENT);
    assertThat(need.until()).isEqualTo(20);
    assertThat(need.claim()).isNull();
  }

  @Test
  void need_presentRunLongerThanWanted_untilIsStillTheRunsEnd() {
    Slice slice = slice(LENGTH);
    write(slice, 10, 20);

    assertThat(slice.need(10, 11)).isEqualTo(new Need(Kind.PRESENT, 20, null));
  }

  @Test
  void need_byteInsideAnotherClaim_claimedWithThatClaim() {
    Slice slice = slice(LENGTH);
    Claim lead = slice.need(10, 50).claim();

    Need need = slice.need(30, 60);

    assertThat(need.kind()).isEqualTo(Kind.CLAIMED);
    assertThat(need.claim()).isSameAs(lead);
    assertThat(need.until()).isEqualTo(30);
  }

  @Test
  void need_firstByteOfAClaim_claimed() {
    Slice slice = slice(LENGTH);
    Claim claim = slice.claimExactly(40, 50);

    assertThat(slice.need(40, 41).claim()).isSameAs(claim);
    assertThat(slice.need(40, 41).kind()).isEqualTo(Kind.CLAIMED);
    assertThat(slice.need(49, 50).kind()).isEqualTo(Kind.CLAIMED);
  }

  @Test
  void need_presentBytesInsideARunningClaim_presentThenClaimed() {
    Slice slice = slice(LENGTH);
    Claim claim = slice.need(0, 50).claim();
    write(slice, 0, 20);

    assertThat(slice.need(5, 50)).isEqualTo(new Need(Kind.PRESENT, 20, null));
    assertThat(slice.need(20, 50)).isEqualTo(new Need(Kind.CLAIMED, 20, claim));
  }

  @ParameterizedTest(name = "present [{0}, {1}), claim [{2}, {3}): need(10, {4}) leads [10, {5})")
  @CsvSource({
      // nothing in the way: up to the reader's end
      "-1, -1, -1, -1, 40, 40",
      "-1, -1, -1, -1, 100, 100",
      // a present run after the gap
      "50, 60, -1, -1, 100, 50",
      "50, 60, -1, -1, 30, 30",
      "11, 12, -1, -1, 100, 11",
      // a claim after the gap
      "-1, -1, 70, 80, 100, 70",
      "-1, -1, 70, 80, 60, 60",
      // both: whichever comes first
      "60, 65, 40, 50, 100, 40",
      "30, 35, 40, 50, 100, 30",
      // runs before the offset do not bound it
      "0, 5, -1, -1, 100, 100",
      "-1, -1, 0, 10, 100, 100",
  })
  void need_missingUnclaimedByte_leadClaimsTheGap(int presentFrom, int presentTo, int claimFrom, int claimTo,
      int end, int expectedTo) {
    Slice slice = slice(LENGTH);
    if (presentFrom >= 0) {
      write(slice, presentFrom, presentTo);
    }
    if (claimFrom >= 0) {
      assertThat(slice.claimExactly(claimFrom, claimTo)).isNotNull();
    }

    Need need = slice.need(10, end);

    assertThat(need.kind()).isEqualTo(Kind.LEAD);
    assertThat(need.until()).isEqualTo(10);
    assertThat(need.claim()).isNotNull();
    assertThat(need.claim().from()).isEqualTo(10);
    assertThat(need.claim().to()).isEqualTo(expectedTo);
    assertThat(need.claim().failed()).isFalse();
  }

  @Test
  void need_afterLead_sameByteIsClaimedNotLedAgain() {
    Slice slice = slice(LENGTH);
    Need lead = slice.need(0, 10);

    Need again = slice.need(0, 10);

    assertThat(again.kind()).isEqualTo(Kind.CLAIMED);
    assertThat(again.claim()).isSameAs(lead.claim());
  }

  @ParameterizedTest(name = "need({0}, {1})")
  @CsvSource({"-1, 10", "0, 101", "10, 10", "20, 10", "100, 101"})
  void need_outsideTheSliceOrEmpty_rejected(int offset, int end) {
    Slice slice = slice(LENGTH);

    assertThatThrownBy(() -> slice.need(offset, end)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[" + offset + ", " + end + ")");
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

  @ParameterizedTest(name = "claimExactly({0}, {1})")
  @CsvSource({
      "5, 15", // over the start of the present run
      "15, 25", // over its end
      "12, 18", // inside it
      "0, 30", // around it
      "35, 45", // over the start of the claim
      "45, 55", // over its end
      "41, 42", // inside it
      "30, 60", // around it
  })
  void claimExactly_overlapsAPresentRunOrAClaim_null(int from, int to) {
    Slice slice = slice(LENGTH);
    write(slice, 10, 20);
    Claim existing = slice.claimExactly(40, 50);

    assertThat(slice.claimExactly(from, to)).isNull();

    // Nothing was claimed: the gaps around the present run and the claim are still free.
    assertThat(runs(slice)).containsExactly("10-20");
    assertThat(slice.need(40, 41).claim()).isSameAs(existing);
    assertThat(gaps(slice)).containsExactly("0-10", "20-40", "50-100");
  }

  @ParameterizedTest(name = "claimExactly({0}, {1})")
  @CsvSource({"0, 10", "20, 40", "20, 21", "39, 40", "50, 100", "0, 1"})
  void claimExactly_touchesButDoesNotOverlap_claimed(int from, int to) {
    Slice slice = slice(LENGTH);
    write(slice, 10, 20);
    Claim existing = slice.claimExactly(40, 50);

    Claim claim = slice.claimExactly(from, to);

    assertThat(claim).isNotNull();
    assertThat(claim.from()).isEqualTo(from);
    assertThat(claim.to()).isEqualTo(to);
    assertThat(slice.need(from, from + 1)).isEqualTo(new Need(Kind.CLAIMED, from, claim));
    assertThat(existing.from()).isEqualTo(40);
  }

  @Test
  void claimFirstGap_emptySlice_wholeSlice() {
    Slice slice = slice(LENGTH);

    Claim claim = slice.claimFirstGap(Integer.MAX_VALUE);

    assertThat(claim).isNotNull();
    assertThat(claim.from()).isZero();
    assertThat(claim.to()).isEqualTo(LENGTH);
    assertThat(slice.claimFirstGap(Integer.MAX_VALUE)).isNull();
  }

  @Test
  void claimFirstGap_presentAndClaimedRuns_skipsThemUpToTheNextOne() {
    Slice slice = slice(LENGTH);
    write(slice, 0, 10);
    Claim running = slice.claimExactly(10, 20);
    write(slice, 30, 40);
    Claim later = slice.claimExactly(60, 70);

    Claim first = slice.claimFirstGap(Integer.MAX_VALUE);
    Claim second = slice.claimFirstGap(Integer.MAX_VALUE);
    Claim third = slice.claimFirstGap(Integer.MAX_VALUE);

    assertThat(List.of(first.from(), first.to())).containsExactly(20, 30);
    assertThat(List.of(second.from(), second.to())).containsExactly(40, 60);
    assertThat(List.of(third.from(), third.to())).containsExactly(70, 100);
    assertThat(slice.claimFirstGap(Integer.MAX_VALUE)).isNull();
    assertThat(running.to()).isEqualTo(20);
    assertThat(later.from()).isEqualTo(60);
  }

  @Test
  void claimFirstGap_everyByteClaimedOrPresent_null() {
    Slice slice = slice(LENGTH);
    write(slice, 0, 50);
    slice.claimExactly(50, 100);

    assertThat(slice.claimFirstGap(Integer.MAX_VALUE)).isNull();
  }

  @Test
  void claimFirstGap_completeSlice_null() {
    Slice slice = slice(LENGTH);
    write(slice, 0, LENGTH);

    assertThat(slice.claimFirstGap(Integer.MAX_VALUE)).isNull();
  }

  @Test
  void endClaim_failed_claimFailedAndItsMissingBytesLedAgain() {
    Slice slice = slice(LENGTH);
    Claim claim = slice.need(0, 50).claim();
    write(slice, 0, 20); // the fetch broke after 20 bytes

    slice.endClaim(claim, true);

    assertThat(claim.failed()).isTrue();
    assertThat(slice.need(0, 50)).isEqualTo(new Need(Kind.PRESENT, 20, null));
    Need again = slice.need(20, 50);
    assertThat(again.kind()).isEqualTo(Kind.LEAD);
    assertThat(again.claim()).isNotSameAs(claim);
    assertThat(List.of(again.claim().from(), again.claim().to())).containsExactly(20, 50);
    assertThat(again.claim().failed()).isFalse();
  }

  @Test
  void endClaim_done_notFailedAndBytesPresent() {
    Slice slice = slice(LENGTH);
    Claim claim = slice.need(0, 50).claim();
    write(slice, 0, 50);

    slice.endClaim(claim, false);

    assertThat(claim.failed()).isFalse();
    assertThat(slice.need(0, 100)).isEqualTo(new Need(Kind.PRESENT, 50, null));
    assertThat(slice.need(50, 100).claim().from()).isEqualTo(50);
  }

  @Test
  void failures_claimsEnded_countsTheFailedOnes() {
    Slice slice = slice(LENGTH);
    assertThat(slice.failures()).isZero();

    slice.endClaim(slice.need(0, 10).claim(), false);
    assertThat(slice.failures()).isZero();
    slice.endClaim(slice.need(0, 10).claim(), true);
    assertThat(slice.failures()).isEqualTo(1);
    slice.endClaim(slice.need(50, 60).claim(), true);

    assertThat(slice.failures()).isEqualTo(2);
  }

  /** A reader that came before a claim failed: its missing bytes are FAILED, what was written is present. */
  @Test
  void need_claimFailedAfterTheReaderCame_failedForTheMissingBytesOnly() {
    Slice slice = slice(LENGTH);
    int seen = slice.failures();
    Claim claim = slice.need(0, 50, seen).claim();
    write(slice, 0, 20);

    slice.endClaim(claim, true);

    assertThat(slice.need(0, 50, seen)).isEqualTo(new Need(Kind.PRESENT, 20, null));
    assertThat(slice.need(20, 50, seen)).isEqualTo(new Need(Kind.FAILED, 20, null));
    assertThat(slice.need(49, 50, seen)).isEqualTo(new Need(Kind.FAILED, 49, null));
    Need after = slice.need(50, 60, seen);
    assertThat(after.kind()).as("past the failed run").isEqualTo(Kind.LEAD);
    assertThat(List.of(after.claim().from(), after.claim().to())).containsExactly(50, 60);
  }

  @Test
  void need_readerCameAfterTheFailure_leadsAgain() {
    Slice slice = slice(LENGTH);
    slice.endClaim(slice.need(0, 50).claim(), true);
    int seen = slice.failures();

    Need need = slice.need(10, 50, seen);

    assertThat(need.kind()).isEqualTo(Kind.LEAD);
    assertThat(List.of(need.claim().from(), need.claim().to())).containsExactly(10, 50);
  }

  @Test
  void need_defaultFailuresSeen_neverFailed() {
    Slice slice = slice(LENGTH);
    slice.endClaim(slice.need(0, 50).claim(), true);

    assertThat(slice.need(0, 50).kind()).isEqualTo(Kind.LEAD);
  }

  @Test
  void need_secondFailure_failedOnlyForReadersThatCameBeforeIt() {
    Slice slice = slice(LENGTH);
    slice.endClaim(slice.need(0, 10).claim(), true);
    int seenOne = slice.failures();
    slice.endClaim(slice.need(50, 60).claim(), true);

    assertThat(slice.need(0, 10, seenOne).kind()).as("failed before this reader came").isEqualTo(Kind.LEAD);
    assertThat(slice.need(50, 60, seenOne).kind()).isEqualTo(Kind.FAILED);
    assertThat(slice.need(50, 60, 0).kind()).isEqualTo(Kind.FAILED);
    assertThat(slice.need(50, 60, slice.failures()).kind()).isEqualTo(Kind.LEAD);
  }

  @Test
  void need_failedRunBeingFetchedAgain_stillFailedForReadersThatCameBefore() {
    Slice slice = slice(LENGTH);
    slice.endClaim(slice.need(0, 50).claim(), true);
    Claim again = slice.need(0, 50, slice.failures()).claim();

    assertThat(slice.need(10, 50, 0)).isEqualTo(new Need(Kind.FAILED, 10, null));
    assertThat(slice.need(10, 50, 1)).isEqualTo(new Need(Kind.CLAIMED, 10, again));
  }

  @Test
  void need_failedRunFetchedAgain_presentForEveryone() {
    Slice slice = slice(LENGTH);
    slice.endClaim(slice.need(0, 50).claim(), true);
    Claim again = slice.need(0, 50, slice.failures()).claim();
    write(slice, 0, 50);
    slice.endClaim(again, false);

    assertThat(slice.need(10, 50, 0)).isEqualTo(new Need(Kind.PRESENT, 50, null));
    slice.endClaim(slice.need(60, 70).claim(), true); // forgets the run fetched again

    assertThat(slice.need(10, 50, 0)).isEqualTo(new Need(Kind.PRESENT, 50, null));
    assertThat(slice.need(60, 70, 0).kind()).isEqualTo(Kind.FAILED);
  }

  @Test
  void endClaim_failedAfterWritingEverything_nothingFailed() {
    Slice slice = slice(LENGTH);
    write(slice, 10, 20);
    Claim claim = slice.need(0, 100).claim(); // up to the present run
    write(slice, 0, 10);

    slice.endClaim(claim, true);

    assertThat(slice.failures()).isEqualTo(1);
    assertThat(slice.need(0, 100, 0)).isEqualTo(new Need(Kind.PRESENT, 20, null));
    assertThat(slice.need(20, 100, 0).kind()).isEqualTo(Kind.LEAD);
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
    slice.endClaim(claim, false);
    assertThat(told).hasValue(3);

    assertThat(slice.isWatched()).isTrue();
    registration.cancel();
    assertThat(slice.isWatched()).isFalse();
    write(slice, 10, 20);
    assertThat(told).hasValue(3);
  }

  /**
   * Two readers miss the same byte at once: the decision and the claim are atomic, so exactly one
   * leads the fetch and the other waits for that same claim.
   */
  @ParameterizedTest(name = "{0} readers")
  @ValueSource(ints = {2, 8})
  void need_readersRacingOnAMissingByte_exactlyOneLead(int readers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    try {
      for (int round = 0; round < 500; round++) {
        Slice slice = slice(LENGTH);
        CyclicBarrier start = new CyclicBarrier(readers);
        List<Future<Need>> futures = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
          futures.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return slice.need(0, LENGTH);
          }));
        }
        List<Need> needs = new ArrayList<>();
        for (Future<Need> future : futures) {
          needs.add(future.get(10, TimeUnit.SECONDS));
        }

        List<Need> leads = needs.stream().filter(n -> n.kind() == Kind.LEAD).toList();
        assertThat(leads).as("round %d", round).hasSize(1);
        Claim claim = leads.get(0).claim();
        assertThat(needs).as("round %d", round)
            .filteredOn(n -> n.kind() != Kind.LEAD)
            .hasSize(readers - 1)
            .allSatisfy(n -> {
              assertThat(n.kind()).isEqualTo(Kind.CLAIMED);
              assertThat(n.claim()).isSameAs(claim);
            });
        slice.release();
      }
    } finally {
      pool.shutdownNow();
    }
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

  private Slice slice(int length) {
    Slice slice = new Slice(KEY, alloc.directBuffer(length, length));
    slices.add(slice);
    return slice;
  }

  /** Writes bytes {@code [from, to)}, byte {@code i} holding {@code (byte) i}. */
  private static void write(Slice slice, int from, int to) {
    byte[] bytes = bytes(from, to);
    ByteBuf data = Unpooled.wrappedBuffer(bytes);
    try {
      slice.write(from, data, 0, bytes.length);
    } finally {
      data.release();
    }
  }

  /** Bytes {@code [from, to)} as the tests write them: byte {@code i} holds {@code (byte) i}. */
  private static byte[] bytes(int from, int to) {
    byte[] bytes = new byte[to - from];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (from + i);
    }
    return bytes;
  }

  /** {@link #bytes(int, int)} as {@link #bytes(ByteBuf)} reads them. */
  private static int[] ints(int from, int to) {
    int[] ints = new int[to - from];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = (byte) (from + i);
    }
    return ints;
  }

  /** The present runs as {@code from-to}, found by walking the slice with {@link Slice#presentUntil}. */
  private static List<String> runs(Slice slice) {
    List<String> runs = new ArrayList<>();
    int offset = 0;
    while (offset < slice.length()) {
      int until = slice.presentUntil(offset);
      if (until > offset) {
        runs.add(offset + "-" + until);
        offset = until;
      } else {
        offset++;
      }
    }
    return runs;
  }

  /** Claims every gap left with {@link Slice#claimFirstGap}, as {@code from-to}. */
  private static List<String> gaps(Slice slice) {
    List<String> gaps = new ArrayList<>();
    for (Claim claim = slice.claimFirstGap(Integer.MAX_VALUE); claim != null; claim = slice.claimFirstGap(Integer.MAX_VALUE)) {
      gaps.add(claim.from() + "-" + claim.to());
    }
    return gaps;
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

  @Test
  void claimFirstGap_bounded_claimsAtMostMaxBytesThenTheNextRun() {
    Slice slice = new Slice(new SliceKey(new CacheKey("o", "/p"), 1, 0), Unpooled.directBuffer(100, 100));
    try {
      Claim first = slice.claimFirstGap(40);
      Claim second = slice.claimFirstGap(40);
      Claim third = slice.claimFirstGap(40);

      assertThat(first.from()).isZero();
      assertThat(first.to()).isEqualTo(40);
      assertThat(second.from()).isEqualTo(40);
      assertThat(second.to()).isEqualTo(80);
      assertThat(third.from()).isEqualTo(80);
      assertThat(third.to()).isEqualTo(100);
      assertThat(slice.claimFirstGap(40)).isNull();
    } finally {
      slice.release();
    }
  }
}
