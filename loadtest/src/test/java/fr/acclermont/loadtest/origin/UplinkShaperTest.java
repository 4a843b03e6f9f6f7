package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The token bucket and its fair queue, on a manual clock: exact bounds, no real time. */
class UplinkShaperTest {

  private static final long RATE = 2_500_000; // 20mbit
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final ManualTimer timer = new ManualTimer();
  private final UplinkShaper shaper = new UplinkShaper(RATE, timer::nanoTime, timer);

  @Test
  void acquire_35BusyFlowsForTenSeconds_neverAboveRatePlusBurstInAnyWindow() {
    List<GreedyFlow> flows = startGreedyFlows(35, UplinkShaper.PIECE_BYTES);
    runUntil(10 * SECOND);

    List<long[]> grants = allGrants(flows).stream().filter(g -> g[0] <= 10 * SECOND).toList();
    long total = grants.stream().mapToLong(g -> g[1]).sum();
    assertThat(total).isLessThanOrEqualTo(RATE * 10 + shaper.burstBytes());
    // The manual clock is exact, so the rate is also reached: a lower bound is safe here.
    assertThat(total).isGreaterThanOrEqualTo(RATE * 10 * 99 / 100);
    assertThat(maxBytesInAnyWindow(grants, SECOND)).isLessThanOrEqualTo(RATE + shaper.burstBytes());
    assertThat(maxBytesInAnyWindow(grants, SECOND / 10)).isLessThanOrEqualTo(RATE / 10 + shaper.burstBytes());
  }

  @Test
  void acquire_35BusyFlows_roundRobinWithinOnePiece() {
    List<GreedyFlow> flows = startGreedyFlows(35, UplinkShaper.PIECE_BYTES);
    runUntil(3 * SECOND);

    long min = flows.stream().mapToLong(GreedyFlow::total).min().orElseThrow();
    long max = flows.stream().mapToLong(GreedyFlow::total).max().orElseThrow();
    assertThat(min).isPositive();
    // One turn apart at most, plus what the first flow took from the full bucket before anyone queued.
    assertThat(max - min).isLessThanOrEqualTo(UplinkShaper.PIECE_BYTES + shaper.burstBytes());
  }

  @Test
  void acquire_smallAndLargePieces_sameTurnsEach() {
    GreedyFlow small = new GreedyFlow(shaper, 1_000);
    GreedyFlow large = new GreedyFlow(shaper, UplinkShaper.PIECE_BYTES);
    small.start(); // alone on a full bucket: takes the burst in small pieces
    large.start();
    runUntil(SECOND);
    int smallTurns = small.grants.size();
    int largeTurns = large.grants.size();
    runUntil(2 * SECOND);

    // One request per turn: a connection sending small pieces is not starved by one sending large ones.
    assertThat(Math.abs((small.grants.size() - smallTurns) - (large.grants.size() - largeTurns)))
        .isLessThanOrEqualTo(1);
  }

  @Test
  void acquire_afterLongIdle_burstCappedAtTenMilliseconds() {
    timer.advance(60 * SECOND);
    List<GreedyFlow> flows = startGreedyFlows(35, UplinkShaper.PIECE_BYTES);

    // Everything granted without the timer running was paid from the bucket alone.
    long atOnce = flows.stream().mapToLong(GreedyFlow::total).sum();
    assertThat(atOnce).isLessThanOrEqualTo(shaper.burstBytes());
    assertThat(shaper.burstBytes()).isEqualTo(RATE / 100);
  }

  @Test
  void burstBytes_slowRate_atLeastOnePiece() {
    UplinkShaper slow = new UplinkShaper(1_000, timer::nanoTime, timer);

    assertThat(slow.burstBytes()).isEqualTo(UplinkShaper.PIECE_BYTES);
    assertThat(slow.acquire(new GreedyFlow(slow, 1), UplinkShaper.PIECE_BYTES)).isTrue();
  }

  @Test
  void cancel_queuedFlow_neverGranted() {
    GreedyFlow first = new GreedyFlow(shaper, UplinkShaper.PIECE_BYTES);
    first.start(); // drains the bucket, then waits in the queue
    GreedyFlow cancelled = new GreedyFlow(shaper, UplinkShaper.PIECE_BYTES);
    cancelled.start();
    shaper.cancel(cancelled);
    runUntil(SECOND);

    assertThat(cancelled.grants).isEmpty();
    assertThat(first.total()).isGreaterThan(RATE / 2);
  }

  @Test
  void acquire_afterClose_grantedAtOnceAndTimerStopped() {
    startGreedyFlows(2, UplinkShaper.PIECE_BYTES);
    shaper.close();

    assertThat(timer.pending()).isZero();
    assertThat(shaper.acquire(new GreedyFlow(shaper, 1), UplinkShaper.PIECE_BYTES)).isTrue();
  }

  @Test
  void acquire_moreThanOnePiece_rejected() {
    assertThatThrownBy(() -> shaper.acquire(new GreedyFlow(shaper, 1), UplinkShaper.PIECE_BYTES + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes: " + (UplinkShaper.PIECE_BYTES + 1));
  }

  private List<GreedyFlow> startGreedyFlows(int count, int pieceBytes) {
    List<GreedyFlow> flows = IntStream.range(0, count).mapToObj(i -> new GreedyFlow(shaper, pieceBytes)).toList();
    flows.forEach(GreedyFlow::start);
    return flows;
  }

  private void runUntil(long nanos) {
    while (timer.nanoTime() < nanos && timer.runNext()) {
      // each task is one dispatch of the shaper
    }
  }

  private static List<long[]> allGrants(List<GreedyFlow> flows) {
    List<long[]> all = new ArrayList<>();
    flows.forEach(flow -> all.addAll(flow.grants));
    all.sort((a, b) -> Long.compare(a[0], b[0]));
    return all;
  }

  /** The most bytes granted in any window of {@code windowNanos} starting at a grant. */
  private static long maxBytesInAnyWindow(List<long[]> grants, long windowNanos) {
    long max = 0;
    long sum = 0;
    int tail = 0;
    for (long[] grant : grants) {
      sum += grant[1];
      while (grants.get(tail)[0] <= grant[0] - windowNanos) {
        sum -= grants.get(tail)[1];
        tail++;
      }
      max = Math.max(max, sum);
    }
    return max;
  }

  /** A connection that always has more to send: it asks again as soon as it is granted. */
  private final class GreedyFlow implements UplinkShaper.Flow {

    final List<long[]> grants = new ArrayList<>();
    private final UplinkShaper uplink;
    private final int pieceBytes;

    GreedyFlow(UplinkShaper uplink, int pieceBytes) {
      this.uplink = uplink;
      this.pieceBytes = pieceBytes;
    }

    void start() {
      while (uplink.acquire(this, pieceBytes)) {
        record(pieceBytes);
      }
    }

    long total() {
      return grants.stream().mapToLong(g -> g[1]).sum();
    }

    @Override
    public Executor executor() {
      return Runnable::run;
    }

    @Override
    public void granted(int bytes) {
      record(bytes);
      start();
    }

    private void record(int bytes) {
      grants.add(new long[] {timer.nanoTime(), bytes});
    }
  }
}
