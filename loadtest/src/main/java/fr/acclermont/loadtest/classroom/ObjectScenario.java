package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.report.ObjectRun;
import fr.acclermont.loadtest.report.ObjectSummary;
import fr.acclermont.loadtest.report.ReportFiles;
import fr.acclermont.loadtest.report.RoundResult;
import fr.acclermont.loadtest.report.UplinkFigures;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * What the scenarios on one object ({@link ColdObject}, {@link RandomRanges}) share: each client
 * is a student of its own, with its own connection pool, and every client starts at the same
 * moment; the round runs as a classroom round does (the uplink counts reset before it, pending
 * requests abandoned at its time limit); then the origin's counts for the object's path are read,
 * the summary is printed and the JSON report written.
 *
 * <p>Blocks the calling thread (the command's), never an event loop.
 */
final class ObjectScenario {

  /** The activity of every client, as student records name it. */
  static final String ACTIVITY = "object";

  /** The size of each warm-up round's object ({@link #warmUp}): one slice of a gateway's, at most. */
  static final String WARM_UP_SIZE = "256KiB";

  private ObjectScenario() {}

  /**
   * Returns {@code /blobs/{size}/{prefix}-{suffix}}, a name no earlier run used, so that the object
   * is cold in any cache: the suffix is the clock's milliseconds and a random number, in base 36.
   */
  static String freshPath(String size, String prefix) {
    return "/blobs/" + size + "/" + prefix + "-" + Long.toString(System.currentTimeMillis(), 36) + "-"
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
  }

  /**
   * Runs client {@code i + 1} with {@code plans.get(i)}, all from the same moment, for at most
   * {@code limit}; then reads what the origin served for the object's path: {@code origin}, or the
   * target itself when it exposes the counts ({@link UplinkMeter#of}).
   *
   * @param settings the run's settings by flag name without dashes, for the report
   */
  static ObjectRun run(LoadClient client, @Nullable Target origin, DemoObject object, List<StudentPlan> plans,
      Duration limit, String command, String title, Map<String, Object> settings)
      throws RunSetupException, InterruptedException {
    List<Participant> participants = new ArrayList<>(plans.size());
    for (int i = 0; i < plans.size(); i++) {
      participants.add(new Participant(i + 1, 1, 0, plans.get(i)));
    }
    UplinkMeter uplink = UplinkMeter.of(client, origin); // the target's own counts without --origin
    Instant startedAt = Instant.now();
    RoundResult round = RoundRunner.run(client, participants, List.of(), null, limit, 1, command, uplink);
    UplinkFigures pathUplink = uplink == null ? null : uplink.read(object.path());
    return new ObjectRun(command, title, client.target().toString(), uplink == null ? null : uplink.origin().toString(),
        startedAt, settings, object.path(), object.length(), RequestedBytes.distinct(plans), round, pathUplink);
  }

  /**
   * Runs {@code rounds} unrecorded rounds before the measured one: {@code clients} clients GET a
   * fresh {@value #WARM_UP_SIZE} object at the same moment, each on its own connection, as in
   * {@link ColdObject}. A gateway that has run for a while and a browser are warm; a load tool
   * started for one run is not, and without this its own start-up (class loading, the JIT, its
   * first connections) lands in the measured first bytes: about 30-60 ms on the 2-core machine,
   * straight at the origin. It warms the target's miss path too, as the peers' figures were taken.
   * The warm-up's objects are other paths than the measured one, and the uplink counts are reset
   * before the measured round.
   */
  static void warmUp(LoadClient client, @Nullable Target origin, int clients, int rounds, Duration limit,
      PrintWriter out) throws RunSetupException, InterruptedException {
    for (int r = 0; r < rounds; r++) {
      DemoObject object = DemoObject.resolve(client, freshPath(WARM_UP_SIZE, "warm"));
      ObjectRun run = run(client, origin, object, Collections.nCopies(clients, ColdObject.plan(object)), limit,
          "warm-up", "warm-up", Map.of());
      long failed = run.round().kinds().values().stream().mapToLong(k -> k.failed()).sum();
      out.printf(Locale.ROOT, "warm-up %d of %d: %d clients GET %s%s%n", r + 1, rounds, clients, object.path(),
          failed == 0 ? "" : " (" + failed + " failed)");
    }
    out.flush();
  }

  /** Prints the summary (a line per client if {@code perClient}) and writes the JSON report into {@code directory}. */
  static void report(ObjectRun run, boolean perClient, @Nullable Path directory, PrintWriter out)
      throws RunSetupException {
    ObjectSummary.write(out, run, perClient);
    Classroom.writeFiles(directory, dir -> ReportFiles.write(dir, run), out);
  }
}
