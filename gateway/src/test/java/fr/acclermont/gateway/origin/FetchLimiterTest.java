package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fetches are named {@code d1, d2...} (demand) and {@code f1, f2...} (fill); {@link #started} lists
 * the ones started, in order, and {@link #cancelled} the ones that will never start.
 */
class FetchLimiterTest {

  private final List<String> started = new ArrayList<>();
  private final List<String> cancelled = new ArrayList<>();

  @ParameterizedTest(name = "max {0}")
  @ValueSource(ints = {0, -1})
  void constructor_nonPositiveMax_rejected(int max) {
    assertThatThrownBy(() -> new FetchLimiter(max)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max: " + max + " (expected: > 0)");
  }

  @Test
  void submit_belowMax_startsAtOnceOnTheCallersThread() {
    FetchLimiter limiter = new FetchLimiter(2);
    Thread[] thread = new Thread[1];

    limiter.submit(task(() -> thread[0] = Thread.currentThread()), FetchKind.DEMAND);

    assertThat(thread[0]).isSameAs(Thread.currentThread());
    assertThat(limiter.running()).isEqualTo(1);
  }

  @Test
  void submit_demandsBeyondMax_atMostMaxRunning() {
    FetchLimiter limiter = new FetchLimiter(2);

    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);
    submit(limiter, "d3", FetchKind.DEMAND);
    submit(limiter, "d4", FetchKind.DEMAND);

    assertThat(started).containsExactly("d1", "d2");
    assertThat(limiter.running()).isEqualTo(2);
  }

  @Test
  void done_demandEnds_nextDemandStartsInOrder() {
    FetchLimiter limiter = new FetchLimiter(2);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);
    submit(limiter, "d3", FetchKind.DEMAND);
    submit(limiter, "d4", FetchKind.DEMAND);

    limiter.done(FetchKind.DEMAND);

    assertThat(started).containsExactly("d1", "d2", "d3");
    assertThat(limiter.running()).isEqualTo(2);
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("d1", "d2", "d3", "d4");
    assertThat(limiter.running()).isEqualTo(2);
    limiter.done(FetchKind.DEMAND);
    assertThat(limiter.running()).isEqualTo(1);
    limiter.done(FetchKind.DEMAND);
    assertThat(limiter.running()).isZero();
    assertThat(limiter.waiting()).isZero();
  }

  @Test
  void submit_fillsWithNothingRunning_startAtOnce_fourAtATime() {
    FetchLimiter limiter = new FetchLimiter(2);

    for (int i = 1; i <= 6; i++) {
      submit(limiter, "f" + i, FetchKind.BACKGROUND);
    }

    assertThat(FetchLimiter.BACKGROUND_PLACES).isEqualTo(4);
    assertThat(started).containsExactly("f1", "f2", "f3", "f4");
    limiter.done(FetchKind.BACKGROUND);
    assertThat(started).containsExactly("f1", "f2", "f3", "f4", "f5");
    assertThat(limiter.running()).isEqualTo(4);
    limiter.done(FetchKind.BACKGROUND);
    assertThat(started).containsExactly("f1", "f2", "f3", "f4", "f5", "f6");
  }

  @Test
  void submit_fillWhileADemandRuns_waitsEvenWithRoom() {
    FetchLimiter limiter = new FetchLimiter(4);
    submit(limiter, "d1", FetchKind.DEMAND);

    submit(limiter, "f1", FetchKind.BACKGROUND);

    assertThat(started).containsExactly("d1");
    assertThat(limiter.running()).isEqualTo(1);
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("d1", "f1");
    assertThat(limiter.running()).isEqualTo(1);
  }

  @Test
  void submit_demandWhileFillsRun_startsIfThereIsRoom() {
    FetchLimiter limiter = new FetchLimiter(2);
    submit(limiter, "f1", FetchKind.BACKGROUND);

    submit(limiter, "d1", FetchKind.DEMAND);

    assertThat(started).containsExactly("f1", "d1");
    assertThat(limiter.running()).isEqualTo(2);
  }

  @Test
  void done_demandAndFillWaiting_demandFirstThoughSubmittedLast() {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "f1", FetchKind.BACKGROUND);
    submit(limiter, "d2", FetchKind.DEMAND);

    limiter.done(FetchKind.DEMAND);

    assertThat(started).containsExactly("d1", "d2");
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("d1", "d2", "f1");
  }

  @Test
  void submit_demandWhileAFillTakesTheOnlyPlace_startsAtOnce() {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "f1", FetchKind.BACKGROUND);
    submit(limiter, "d1", FetchKind.DEMAND); // a fill never takes a demand's place: no wait behind it
    submit(limiter, "f2", FetchKind.BACKGROUND);

    assertThat(started).containsExactly("f1", "d1");
    assertThat(limiter.running()).isEqualTo(2);
    limiter.done(FetchKind.BACKGROUND);
    assertThat(started).as("the fill does not pass the running demand").containsExactly("f1", "d1");
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("f1", "d1", "f2");
  }

  @Test
  void submit_demandsAtMaxBesideAFill_theNextWaitsForADemandToEnd() {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "f1", FetchKind.BACKGROUND);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);

    limiter.done(FetchKind.BACKGROUND); // f1: its end frees no demand place
    assertThat(started).containsExactly("f1", "d1");
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("f1", "d1", "d2");
  }

  @Test
  void done_fillEndsWhileADemandRuns_waitingFillStillWaits() {
    FetchLimiter limiter = new FetchLimiter(3);
    submit(limiter, "f1", FetchKind.BACKGROUND);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "f2", FetchKind.BACKGROUND);

    limiter.done(FetchKind.BACKGROUND); // f1

    assertThat(started).containsExactly("f1", "d1");
    assertThat(limiter.running()).isEqualTo(1);
  }

  @Test
  void done_lastDemandEnds_fillsStartFourAtATime() {
    FetchLimiter limiter = new FetchLimiter(3);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);
    for (int i = 1; i <= 5; i++) {
      submit(limiter, "f" + i, FetchKind.BACKGROUND);
    }

    limiter.done(FetchKind.DEMAND);
    assertThat(started).as("a demand still runs").containsExactly("d1", "d2");

    limiter.done(FetchKind.DEMAND);

    assertThat(started).containsExactly("d1", "d2", "f1", "f2", "f3", "f4");
    assertThat(limiter.running()).isEqualTo(4);
    limiter.done(FetchKind.BACKGROUND);
    assertThat(started).containsExactly("d1", "d2", "f1", "f2", "f3", "f4", "f5");
    assertThat(limiter.running()).isEqualTo(4);
  }

  @Test
  void done_startedFetchEndsAtOnce_nextOnesStillStart() {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "d1", FetchKind.DEMAND);
    limiter.submit(task(() -> {
      started.add("d2");
      limiter.done(FetchKind.DEMAND); // e.g. the slice turned out complete: nothing to fetch
    }), FetchKind.DEMAND);
    submit(limiter, "d3", FetchKind.DEMAND);
    submit(limiter, "f1", FetchKind.BACKGROUND);

    limiter.done(FetchKind.DEMAND);

    assertThat(started).containsExactly("d1", "d2", "d3");
    assertThat(limiter.running()).isEqualTo(1);
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("d1", "d2", "d3", "f1");
  }

  @Test
  void waiting_queuedFetches_counted() {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);
    submit(limiter, "f1", FetchKind.BACKGROUND);

    assertThat(limiter.waiting()).isEqualTo(2);
    limiter.done(FetchKind.DEMAND);
    assertThat(limiter.waiting()).isEqualTo(1);
    limiter.done(FetchKind.DEMAND);
    assertThat(limiter.waiting()).isZero();
    assertThat(cancelled).isEmpty();
  }

  @Test
  void close_fetchesWaiting_cancelledNeverStarted() {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);
    submit(limiter, "f1", FetchKind.BACKGROUND);

    limiter.close();

    assertThat(cancelled).containsExactly("d2", "f1");
    assertThat(limiter.waiting()).isZero();
    assertThat(limiter.running()).as("the running fetch still ends on its own").isEqualTo(1);
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("d1");
    assertThat(limiter.running()).isZero();
  }

  @Test
  void submit_afterClose_cancelledAtOnce() {
    FetchLimiter limiter = new FetchLimiter(2);
    limiter.close();

    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "f1", FetchKind.BACKGROUND);

    assertThat(started).isEmpty();
    assertThat(cancelled).containsExactly("d1", "f1");
    assertThat(limiter.running()).isZero();
    assertThat(limiter.waiting()).isZero();
  }

  @Test
  void resize_larger_waitingDemandFetchesStartAtOnce() {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);
    submit(limiter, "d3", FetchKind.DEMAND);
    submit(limiter, "f1", FetchKind.BACKGROUND);

    limiter.resize(3);

    assertThat(started).containsExactly("d1", "d2", "d3");
    assertThat(limiter.running()).isEqualTo(3);
    assertThat(limiter.waiting()).as("a fill still waits for the demand fetches").isEqualTo(1);
  }

  @Test
  void resize_smaller_runningFetchesFinish_noOtherStartsUntilUnderTheNewBound() {
    FetchLimiter limiter = new FetchLimiter(3);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);
    submit(limiter, "d3", FetchKind.DEMAND);
    submit(limiter, "d4", FetchKind.DEMAND);

    limiter.resize(1);

    assertThat(started).containsExactly("d1", "d2", "d3");
    assertThat(limiter.running()).as("the running ones are not stopped").isEqualTo(3);
    assertThat(cancelled).isEmpty();
    limiter.done(FetchKind.DEMAND);
    limiter.done(FetchKind.DEMAND);
    assertThat(started).as("one demand fetch still runs: at the new bound").containsExactly("d1", "d2", "d3");
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("d1", "d2", "d3", "d4");
    assertThat(limiter.running()).isEqualTo(1);
    submit(limiter, "d5", FetchKind.DEMAND);
    assertThat(started).as("bounded by 1 from now on").containsExactly("d1", "d2", "d3", "d4");
  }

  @Test
  void resize_sameBound_changesNothing() {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);

    limiter.resize(1);

    assertThat(started).containsExactly("d1");
    assertThat(limiter.waiting()).isEqualTo(1);
  }

  @ParameterizedTest(name = "max {0}")
  @ValueSource(ints = {0, -1})
  void resize_nonPositiveMax_rejected_boundKept(int max) {
    FetchLimiter limiter = new FetchLimiter(1);
    submit(limiter, "d1", FetchKind.DEMAND);
    submit(limiter, "d2", FetchKind.DEMAND);

    assertThatThrownBy(() -> limiter.resize(max)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max: " + max + " (expected: > 0)");

    assertThat(started).containsExactly("d1");
    limiter.done(FetchKind.DEMAND);
    assertThat(started).containsExactly("d1", "d2");
    submit(limiter, "d3", FetchKind.DEMAND);
    assertThat(started).containsExactly("d1", "d2");
  }

  private void submit(FetchLimiter limiter, String name, FetchKind kind) {
    limiter.submit(new FetchLimiter.Task() {
      @Override
      public void start() {
        started.add(name);
      }

      @Override
      public void cancel() {
        cancelled.add(name);
      }
    }, kind);
  }

  /** A task that runs {@code start} and fails the test if cancelled. */
  private static FetchLimiter.Task task(Runnable start) {
    return new FetchLimiter.Task() {
      @Override
      public void start() {
        start.run();
      }

      @Override
      public void cancel() {
        throw new AssertionError("cancelled");
      }
    };
  }
}
