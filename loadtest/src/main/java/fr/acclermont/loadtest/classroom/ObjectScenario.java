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
import java.util.List;
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

  /** Prints the summary (a line per client if {@code perClient}) and writes the JSON report into {@code directory}. */
  static void report(ObjectRun run, boolean perClient, @Nullable Path directory, PrintWriter out)
      throws RunSetupException {
    ObjectSummary.write(out, run, perClient);
    Classroom.writeFiles(directory, dir -> ReportFiles.write(dir, run), out);
  }
}
