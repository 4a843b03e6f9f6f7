package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.cache.Slice.Claim;
import fr.acclermont.gateway.cache.Slice.Kind;
import fr.acclermont.gateway.cache.Slice.Need;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a reader needs of a slice ({@link Slice#need}: present, claimed by another fetch, or a gap it
 * leads the fetch of) and the claims themselves ({@link Slice#claimExactly},
 * {@link Slice#claimFirstGap}), down to readers racing on the same missing byte.
 */
class SliceClaimTest extends SliceFixture {

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

  /** Claims every gap left with {@link Slice#claimFirstGap}, as {@code from-to}. */
  private static List<String> gaps(Slice slice) {
    List<String> gaps = new ArrayList<>();
    for (Claim claim = slice.claimFirstGap(Integer.MAX_VALUE); claim != null; claim = slice.claimFirstGap(Integer.MAX_VALUE)) {
      gaps.add(claim.from() + "-" + claim.to());
    }
    return gaps;
  }
}
