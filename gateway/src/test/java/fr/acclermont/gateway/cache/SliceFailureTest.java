package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.Slice.Claim;
import fr.acclermont.gateway.cache.Slice.Kind;
import fr.acclermont.gateway.cache.Slice.Need;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Claims that end, done ({@link Slice#endClaim}) or failed ({@link Slice#failClaim}): the
 * failures counted, and a failed run's missing bytes FAILED for the readers that came before the
 * failure only, led again for the others, present for everyone once fetched again.
 */
class SliceFailureTest extends SliceFixture {

  @Test
  void failClaim_claimFailedAndItsMissingBytesLedAgain() {
    Slice slice = slice(LENGTH);
    Claim claim = slice.need(0, 50).claim();
    write(slice, 0, 20); // the fetch broke after 20 bytes

    slice.failClaim(claim);

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

    slice.endClaim(claim);

    assertThat(claim.failed()).isFalse();
    assertThat(slice.need(0, 100)).isEqualTo(new Need(Kind.PRESENT, 50, null));
    assertThat(slice.need(50, 100).claim().from()).isEqualTo(50);
  }

  @Test
  void failures_claimsEnded_countsTheFailedOnes() {
    Slice slice = slice(LENGTH);
    assertThat(slice.failures()).isZero();

    slice.endClaim(slice.need(0, 10).claim());
    assertThat(slice.failures()).isZero();
    slice.failClaim(slice.need(0, 10).claim());
    assertThat(slice.failures()).isEqualTo(1);
    slice.failClaim(slice.need(50, 60).claim());

    assertThat(slice.failures()).isEqualTo(2);
  }

  /** A reader that came before a claim failed: its missing bytes are FAILED, what was written is present. */
  @Test
  void need_claimFailedAfterTheReaderCame_failedForTheMissingBytesOnly() {
    Slice slice = slice(LENGTH);
    int seen = slice.failures();
    Claim claim = slice.need(0, 50, seen).claim();
    write(slice, 0, 20);

    slice.failClaim(claim);

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
    slice.failClaim(slice.need(0, 50).claim());
    int seen = slice.failures();

    Need need = slice.need(10, 50, seen);

    assertThat(need.kind()).isEqualTo(Kind.LEAD);
    assertThat(List.of(need.claim().from(), need.claim().to())).containsExactly(10, 50);
  }

  @Test
  void need_defaultFailuresSeen_neverFailed() {
    Slice slice = slice(LENGTH);
    slice.failClaim(slice.need(0, 50).claim());

    assertThat(slice.need(0, 50).kind()).isEqualTo(Kind.LEAD);
  }

  @Test
  void need_secondFailure_failedOnlyForReadersThatCameBeforeIt() {
    Slice slice = slice(LENGTH);
    slice.failClaim(slice.need(0, 10).claim());
    int seenOne = slice.failures();
    slice.failClaim(slice.need(50, 60).claim());

    assertThat(slice.need(0, 10, seenOne).kind()).as("failed before this reader came").isEqualTo(Kind.LEAD);
    assertThat(slice.need(50, 60, seenOne).kind()).isEqualTo(Kind.FAILED);
    assertThat(slice.need(50, 60, 0).kind()).isEqualTo(Kind.FAILED);
    assertThat(slice.need(50, 60, slice.failures()).kind()).isEqualTo(Kind.LEAD);
  }

  @Test
  void need_failedRunBeingFetchedAgain_stillFailedForReadersThatCameBefore() {
    Slice slice = slice(LENGTH);
    slice.failClaim(slice.need(0, 50).claim());
    Claim again = slice.need(0, 50, slice.failures()).claim();

    assertThat(slice.need(10, 50, 0)).isEqualTo(new Need(Kind.FAILED, 10, null));
    assertThat(slice.need(10, 50, 1)).isEqualTo(new Need(Kind.CLAIMED, 10, again));
  }

  @Test
  void need_failedRunFetchedAgain_presentForEveryone() {
    Slice slice = slice(LENGTH);
    slice.failClaim(slice.need(0, 50).claim());
    Claim again = slice.need(0, 50, slice.failures()).claim();
    write(slice, 0, 50);
    slice.endClaim(again);

    assertThat(slice.need(10, 50, 0)).isEqualTo(new Need(Kind.PRESENT, 50, null));
    slice.failClaim(slice.need(60, 70).claim()); // forgets the run fetched again

    assertThat(slice.need(10, 50, 0)).isEqualTo(new Need(Kind.PRESENT, 50, null));
    assertThat(slice.need(60, 70, 0).kind()).isEqualTo(Kind.FAILED);
  }

  @Test
  void failClaim_afterWritingEverything_nothingFailed() {
    Slice slice = slice(LENGTH);
    write(slice, 10, 20);
    Claim claim = slice.need(0, 100).claim(); // up to the present run
    write(slice, 0, 10);

    slice.failClaim(claim);

    assertThat(slice.failures()).isEqualTo(1);
    assertThat(slice.need(0, 100, 0)).isEqualTo(new Need(Kind.PRESENT, 20, null));
    assertThat(slice.need(20, 100, 0).kind()).isEqualTo(Kind.LEAD);
  }
}
