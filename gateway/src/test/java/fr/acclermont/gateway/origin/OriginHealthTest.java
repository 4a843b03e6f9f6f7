package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.acclermont.gateway.metrics.OriginOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The up/down state machine and the probe backoff, on a manual clock, a fake scheduler that runs
 * nothing until told, and a fake prober whose probes end when the test says.
 */
class OriginHealthTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final FakeScheduler scheduler = new FakeScheduler();
  private final List<OriginHealth.ProbeDone> probes = new ArrayList<>();
  private final OriginHealth health = new OriginHealth("cloud (http://cloud.example)", clock::get,
      OriginHealth.FIRST_PROBE_MILLIS, OriginHealth.MAX_PROBE_MILLIS);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(OriginHealth.class);

  @BeforeEach
  void setUp() {
    health.probeWith(probes::add, scheduler);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(logs);
  }

  @Test
  void newHealth_isUpWithoutProbes() {
    assertThat(health.up()).isTrue();
    assertThat(health.downSinceMillis()).isZero();
    assertThat(scheduler.delays).isEmpty();
  }

  @Test
  void isUpStatus_below500Or501() {
    assertThat(OriginHealth.isUpStatus(200)).isTrue();
    assertThat(OriginHealth.isUpStatus(404)).isTrue();
    assertThat(OriginHealth.isUpStatus(499)).isTrue();
    assertThat(OriginHealth.isUpStatus(501)).isTrue();
    assertThat(OriginHealth.isUpStatus(500)).isFalse();
    assertThat(OriginHealth.isUpStatus(502)).isFalse();
    assertThat(OriginHealth.isUpStatus(503)).isFalse();
    assertThat(OriginHealth.isUpStatus(504)).isFalse();
  }

  @Test
  void failed_whileUp_downWithOneWarnAndAProbeAfterOneSecond() {
    health.failed(OriginOutcome.CONNECT, 0);

    assertThat(health.up()).isFalse();
    assertThat(health.downSinceMillis()).isEqualTo(1_000_000);
    assertThat(scheduler.delays).containsExactly(1_000L);
    assertThat(logs.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains("cloud (http://cloud.example)").contains("cannot connect");
    });
  }

  @Test
  void failed_whileDown_changesNothing() {
    health.failed(OriginOutcome.TIMEOUT, 0);
    clock.addAndGet(500);
    health.failed(OriginOutcome.STATUS, 503);
    health.answered(502);

    assertThat(health.downSinceMillis()).isEqualTo(1_000_000);
    assertThat(scheduler.delays).containsExactly(1_000L);
    assertThat(logs.list).hasSize(1);
  }

  @Test
  void answered_5xx_down_501_and_4xx_up() {
    health.answered(501);
    health.answered(404);
    assertThat(health.up()).isTrue();

    health.answered(503);
    health.answered(500);
    assertThat(health.up()).as("two 5xx in a row").isTrue();
    health.answered(503);
    assertThat(health.up()).as("the third").isFalse();
    assertThat(logs.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("answered 503"));

    health.answered(501);
    assertThat(health.up()).isTrue();
  }

  @Test
  void answered_5xxBetweenGoodAnswers_neverDown() {
    for (int i = 0; i < 20; i++) {
      health.answered(503);
      health.answered(503);
      health.answered(200); // another path, answered well: the count starts again
    }

    assertThat(health.up()).isTrue();
    assertThat(logs.list).isEmpty();
    assertThat(scheduler.delays).isEmpty();
  }

  @Test
  void tryTrial_oneAtATimeUntilEnded() {
    health.failed(OriginOutcome.CONNECT, 0);

    assertThat(health.tryTrial()).isTrue();
    assertThat(health.tryTrial()).as("while the first is in flight").isFalse();
    health.trialEnded();
    assertThat(health.tryTrial()).isTrue();
  }

  @Test
  void failed_connectAfterTwo5xx_downAtOnce() {
    health.answered(502);
    health.answered(502);
    health.answered(204);
    health.failed(OriginOutcome.CONNECT, 0);

    assertThat(health.up()).isFalse();
  }

  @Test
  void probesFailing_backOffByDoublingToThirtySeconds() {
    health.failed(OriginOutcome.CONNECT, 0);
    for (int i = 0; i < 7; i++) {
      scheduler.runNext();
      assertThat(probes).hasSize(i + 1);
      probes.get(i).done(false);
    }

    assertThat(scheduler.delays).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
    assertThat(health.up()).isFalse();
  }

  @Test
  void probeSucceeding_upWithOneInfoNamingTheDowntime_andNoMoreProbes() {
    health.failed(OriginOutcome.CONNECT, 0);
    scheduler.runNext();
    probes.get(0).done(false);
    scheduler.runNext();
    clock.addAndGet(3_000);
    probes.get(1).done(true);

    assertThat(health.up()).isTrue();
    assertThat(health.downSinceMillis()).isZero();
    assertThat(health.probeScheduled()).isFalse();
    assertThat(scheduler.delays).containsExactly(1_000L, 2_000L);
    assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
    assertThat(logs.list.get(1).getFormattedMessage()).contains("cloud (http://cloud.example)").contains("3.0 s");
  }

  @Test
  void exchangeSucceeding_whileAProbeIsScheduled_upAndCancelsIt() {
    health.failed(OriginOutcome.CONNECT, 0);
    health.succeeded();

    assertThat(health.up()).isTrue();
    assertThat(health.probeScheduled()).isFalse();
    assertThat(scheduler.futures.get(0).isCancelled()).isTrue();
    assertThat(scheduler.runNext()).isFalse(); // nothing left to run
    assertThat(probes).isEmpty();
  }

  @Test
  void downAgain_afterUp_backoffStartsOverAtOneSecond() {
    health.failed(OriginOutcome.CONNECT, 0);
    scheduler.runNext();
    probes.get(0).done(false);
    scheduler.runNext();
    probes.get(1).done(true);

    health.failed(OriginOutcome.TIMEOUT, 0);

    assertThat(scheduler.delays).containsExactly(1_000L, 2_000L, 1_000L);
  }

  @Test
  void probeInFlight_upThenDownAgain_noSecondProbeUntilItEnds() {
    health.failed(OriginOutcome.CONNECT, 0);
    scheduler.runNext(); // probe 0 in flight
    health.succeeded();
    health.failed(OriginOutcome.CONNECT, 0);

    assertThat(health.probeScheduled()).isFalse();
    assertThat(scheduler.delays).containsExactly(1_000L);

    probes.get(0).done(false);

    assertThat(scheduler.delays).containsExactly(1_000L, 1_000L);
  }

  @Test
  void probeTask_cancelledAsItStarts_sendsNothing() {
    health.failed(OriginOutcome.CONNECT, 0);
    Runnable stale = scheduler.tasks.get(0);
    health.succeeded();
    health.failed(OriginOutcome.CONNECT, 0); // a new probe is scheduled

    stale.run(); // the cancelled task ran anyway, as it may on another thread

    assertThat(probes).isEmpty();
    assertThat(health.probeScheduled()).isTrue();
  }

  @Test
  void close_cancelsTheScheduledProbe_andLaterReportsChangeNothing() {
    health.failed(OriginOutcome.CONNECT, 0);
    health.close();

    assertThat(health.probeScheduled()).isFalse();
    assertThat(scheduler.futures.get(0).isCancelled()).isTrue();

    health.succeeded();
    assertThat(health.up()).isFalse();
  }

  @Test
  void close_withAProbeInFlight_schedulesNoMore() {
    health.failed(OriginOutcome.CONNECT, 0);
    scheduler.runNext();
    health.close();
    probes.get(0).done(false);

    assertThat(health.probeScheduled()).isFalse();
    assertThat(scheduler.delays).containsExactly(1_000L);
  }

  @Test
  void schedulerRejecting_whileStopping_noProbeAndNoError() {
    OriginHealth stopping = new OriginHealth("cloud", clock::get, 1_000, 30_000);
    stopping.probeWith(done -> { }, (task, delay) -> {
      throw new RejectedExecutionException("event executor terminated");
    });

    stopping.failed(OriginOutcome.CONNECT, 0);

    assertThat(stopping.up()).isFalse();
    assertThat(stopping.probeScheduled()).isFalse();
  }

  @Test
  void proberThrowing_countsAsAFailedProbe() {
    OriginHealth health = new OriginHealth("cloud", clock::get, 1_000, 30_000);
    health.probeWith(done -> {
      throw new IllegalStateException("loop gone");
    }, scheduler);
    health.failed(OriginOutcome.CONNECT, 0);

    scheduler.runNext();

    assertThat(scheduler.delays).containsExactly(1_000L, 2_000L);
  }

  @Test
  void probeWith_whileAlreadyDown_schedulesAtOnce() {
    OriginHealth unwired = new OriginHealth("cloud", clock::get, 1_000, 30_000);
    unwired.failed(OriginOutcome.CONNECT, 0);
    FakeScheduler later = new FakeScheduler();

    unwired.probeWith(done -> { }, later);

    assertThat(later.delays).containsExactly(1_000L);
  }

  @Test
  void backoff_invalid_rejected() {
    assertThatThrownBy(() -> health.backoff(0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> health.backoff(20, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Records what is scheduled; runs it only when told. */
  private static final class FakeScheduler implements OriginHealth.Scheduler {
    final List<Long> delays = new ArrayList<>();
    final List<Runnable> tasks = new ArrayList<>();
    final List<CompletableFuture<Void>> futures = new ArrayList<>();
    private int next;

    @Override
    public Future<?> schedule(Runnable task, long delayMillis) {
      delays.add(delayMillis);
      tasks.add(task);
      CompletableFuture<Void> future = new CompletableFuture<>();
      futures.add(future);
      return future;
    }

    /** Runs the next scheduled task not cancelled; false if there is none. */
    boolean runNext() {
      while (next < tasks.size()) {
        int i = next++;
        if (!futures.get(i).isCancelled()) {
          futures.get(i).complete(null);
          tasks.get(i).run();
          return true;
        }
      }
      return false;
    }
  }
}
