package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.ErrorKind;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.report.GroupRecord;
import fr.acclermont.loadtest.report.RoundResult;
import fr.acclermont.loadtest.report.RunRecorder;
import fr.acclermont.loadtest.report.UplinkFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one round: resets the uplink counts, starts every student at its scheduled time on its
 * own pool, waits until all are done or the round's time limit, abandons the stragglers (their
 * pending requests count as timeouts), and freezes the results with the uplink counts.
 *
 * <p>Blocks the calling thread (the command's), never an event loop.
 */
final class RoundRunner {

  private static final Logger logger = LoggerFactory.getLogger(RoundRunner.class);

  /** The clock starts this long after the students are scheduled, so the first start is on time. */
  private static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** How long abandoned students get to report once their pools are aborted. */
  private static final long ABANDON_GRACE_SECONDS = 10;

  private RoundRunner() {}

  /**
   * Runs a round.
   *
   * @param stopIssuing no batch is queued later than this after the round's start (null: no bound)
   * @param limit the round's time limit, from its start
   */
  static RoundResult run(LoadClient client, List<Participant> participants, List<GroupRecord> groups,
      @Nullable Duration stopIssuing, Duration limit, int round, String label, @Nullable UplinkMeter uplink)
      throws RunSetupException, InterruptedException {
    if (uplink != null) {
      uplink.reset();
    }
    long startNanos = System.nanoTime() + LEAD_NANOS;
    Instant startedAt = Instant.now().plusNanos(LEAD_NANOS);
    RunRecorder recorder = new RunRecorder(startNanos, startedAt);
    long stopIssuingNanos = stopIssuing == null ? Long.MAX_VALUE : startNanos + stopIssuing.toNanos();
    CountDownLatch done = new CountDownLatch(participants.size());
    List<Student> students = new ArrayList<>(participants.size());
    for (Participant p : participants) {
      Student student = new Student(p.id(), p.group(), p.plan(), client.newPool(), recorder,
          startNanos + p.offsetNanos(), stopIssuingNanos, done::countDown);
      students.add(student);
      long delay = Math.max(0, startNanos + p.offsetNanos() - System.nanoTime());
      student.pool().eventLoop().schedule(student::start, delay, TimeUnit.NANOSECONDS);
    }
    long waitNanos = startNanos + limit.toNanos() - System.nanoTime();
    if (!done.await(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
      logger.warn("{}: {} of {} students still busy at the time limit ({}); their pending requests count as timeouts",
          label, done.getCount(), participants.size(), limit);
      for (Student student : students) {
        student.pool().eventLoop().execute(student::abandon);
      }
      if (!done.await(ABANDON_GRACE_SECONDS, TimeUnit.SECONDS)) {
        logger.warn("{}: {} students did not report after being abandoned", label, done.getCount());
      }
    }
    for (Student student : students) {
      student.pool().abort(ErrorKind.TIMEOUT, "the round ended");
    }
    UplinkFigures uplinkFigures = uplink == null ? null : uplink.read();
    return recorder.finish(round, label, groups, uplinkFigures);
  }
}
