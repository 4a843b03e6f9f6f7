package fr.acclermont.loadtest.report;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The console summary of a scenario on one object: optionally one line per client, then the
 * latency percentiles, errors by kind, bytes, and what the uplink carried for the object.
 *
 * <pre>
 * cold-object: 35 clients GET /blobs/20MiB/cold-x (20MiB) at the same moment, target http://127.0.0.1:8080
 *   client  first byte (ms)  done (ms)       bytes  failed
 *        1             82.8       1707    20.0 MiB       0
 *   ...
 *   35 requests, 0 failed; errors: none
 *   time to first byte (ms): p50 82.8, p90 121, p99 142, max 142
 *   time to complete (ms):   p50 1707, p90 1708, p99 1708, max 1708
 *   all done in 1.71 s; 700.0 MiB delivered; 20.0 MiB distinct bytes requested of a 20.0 MiB object
 *   uplink: 1 request, 20.0 MiB for /blobs/20MiB/cold-x (1 request, 20.0 MiB in all)
 *   the uplink carried the object 1.00×; 1.00 bytes per distinct byte requested
 * </pre>
 */
public final class ObjectSummary {

  private static final double NANOS_PER_MILLI = 1e6;

  private ObjectSummary() {}

  /** Writes the summary of {@code run} to {@code out}, with a line per client if {@code perClient}. */
  public static void write(PrintWriter out, ObjectRun run, boolean perClient) {
    RoundResult round = run.round();
    out.printf(Locale.ROOT, "%n%s: %s, target %s%n", run.command(), run.title(), run.target());
    if (perClient) {
      out.printf(Locale.ROOT, "  %6s %16s %10s %11s %7s%n", "client", "first byte (ms)", "done (ms)", "bytes",
          "failed");
      for (StudentRecord client : round.students()) {
        out.printf(Locale.ROOT, "  %6d %16s %10s %11s %7d%n", client.id(),
            client.firstByteNanos() < 0 ? "-" : Figures.millis(client.firstByteNanos() / NANOS_PER_MILLI),
            Figures.millis(client.doneNanos() / NANOS_PER_MILLI), Figures.bytes(client.bytes()), client.failed());
      }
    }
    out.printf(Locale.ROOT, "  %d requests, %d failed; errors: %s%n", round.requests(), round.failed(),
        ConsoleSummary.errors(round.errors()));
    out.printf(Locale.ROOT, "  time to first byte (ms): %s%n", percentiles(run.firstByte()));
    out.printf(Locale.ROOT, "  time to complete (ms):   %s%n", percentiles(run.complete()));
    out.printf(Locale.ROOT, "  all done in %s; %s delivered; %s distinct bytes requested of a %s object%n",
        Figures.duration(round.durationNanos() / NANOS_PER_MILLI), Figures.bytes(round.deliveredBytes()),
        Figures.bytes(run.distinctBytes()), Figures.bytes(run.objectBytes()));
    UplinkFigures total = round.uplink();
    UplinkFigures path = run.pathUplink();
    if (total == null || path == null) {
      out.println("  uplink: not measured (no --origin, and the target does not answer /_origin/stats)");
    } else {
      out.printf(Locale.ROOT, "  uplink: %s, %s for %s (%s, %s in all)%n", requests(path.requests()),
          Figures.bytes(path.bytes()), run.path(), requests(total.requests()), Figures.bytes(total.bytes()));
      out.printf(Locale.ROOT, "  the uplink carried the object %s×; %s bytes per distinct byte requested%n",
          ratio(run.objectCopies()), ratio(run.bytesPerDistinctByte()));
    }
    out.flush();
  }

  private static String percentiles(Percentiles p) {
    if (p.isEmpty()) {
      return "- (no successful request)";
    }
    return "p50 " + Figures.millis(p.p50()) + ", p90 " + Figures.millis(p.p90()) + ", p99 " + Figures.millis(p.p99())
        + ", max " + Figures.millis(p.max());
  }

  private static String requests(long count) {
    return count + (count == 1 ? " request" : " requests");
  }

  private static String ratio(OptionalDouble value) {
    return value.isPresent() ? Figures.ratio(value.getAsDouble()) : "-";
  }
}
