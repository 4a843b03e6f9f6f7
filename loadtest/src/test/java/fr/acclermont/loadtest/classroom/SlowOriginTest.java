package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.loadtest.client.ErrorKind;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.report.KindResult;
import fr.acclermont.loadtest.report.Percentiles;
import fr.acclermont.loadtest.report.RoundResult;
import fr.acclermont.loadtest.report.RunReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against an origin that adds a known delay before every response: every request succeeds and
 * is in its kind's figures, which are consistent (percentiles in order, a first byte never after
 * the completion); the figures themselves are measurements, printed, not asserted (how the delay
 * shows in them is what the classroom measurements against {@code origin --latency} report). A
 * round that outlives its time limit ends at it.
 */
class SlowOriginTest {

  private static final Duration LATENCY = Duration.ofMillis(50);

  private static DemoOrigin origin;

  @BeforeAll
  static void start() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().latency(LATENCY).build());
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @Test
  void classroom_originLatency_everyRequestCountedAndFiguresConsistent() throws Exception {
    Target target = Target.parse(origin.baseUri().toString());
    Classroom.Settings settings = new Classroom.Settings(target, null, 2, null, Duration.ofMillis(50), 1, 1, 2,
        Duration.ofSeconds(30), Duration.ofMinutes(1), null);
    // Classroom.run prints the summary: the figures not asserted below are reported there.
    RunReport report = Classroom.run(settings, new PrintWriter(System.out, true));
    RoundResult round = report.rounds().get(0);

    assertThat(round.failed()).isZero();
    assertThat(round.kinds().values()).anySatisfy(kind -> assertThat(kind.ok()).isPositive());
    for (KindResult kind : round.kinds().values()) {
      if (kind.ok() == 0) {
        continue;
      }
      Percentiles p = kind.firstByte();
      assertThat(p.count()).as("%s requests in the first-byte figures", kind.kind().label()).isEqualTo(kind.ok());
      assertThat(List.of(p.p50(), p.p90(), p.p99(), p.p999(), p.p9999(), p.max()))
          .as("%s time to first byte (ms)", kind.kind().label()).isSorted();
      assertThat(kind.complete().max()).as("%s slowest completion, not before its slowest first byte",
          kind.kind().label()).isGreaterThanOrEqualTo(p.max());
    }
    assertThat(round.booksOpened()).isEqualTo(2);
  }

  @Test
  void classroom_roundTimeLimit_pendingRequestsEndAsTimeouts() throws Exception {
    // Behind 250 ms of latency each student needs 260 assets / 6 connections x 250 ms, over 10 s:
    // the limit of 1 s cuts them short.
    Duration limit = Duration.ofSeconds(1);
    try (DemoOrigin slower = DemoOrigin.start(DemoOriginOptions.builder().latency(Duration.ofMillis(250)).build())) {
      Target target = Target.parse(slower.baseUri().toString());
      Classroom.Settings settings = new Classroom.Settings(target, null, 2, null, Duration.ZERO, 1, 1, 2,
          Duration.ofSeconds(30), limit, null);
      RoundResult round = Classroom.run(settings, new PrintWriter(System.out, true)).rounds().get(0);

      assertThat(round.errors().get(ErrorKind.TIMEOUT)).isPositive();
      assertThat(round.failed()).isEqualTo(round.errors().get(ErrorKind.TIMEOUT));
      assertThat(round.booksOpened()).isZero();
      assertThat(round.students()).hasSize(2).allSatisfy(s -> assertThat(s.bookOpened()).isFalse());
      // No wall-clock bound on the round: without the limit every request would succeed (the
      // 30 s request timeout is far beyond the 250 ms each takes), so the timeouts above prove it.
      System.out.println("round cut by a 1 s limit after " + Duration.ofNanos(round.durationNanos()).toMillis() + " ms");
    }
  }
}
