package fr.acclermont.loadtest.report;

import fr.acclermont.loadtest.client.ErrorKind;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console summary of a round: per kind the time-to-first-byte and time-to-complete
 * percentiles, throughput, errors by kind, responses by status, time to book open, and uplink
 * against delivered bytes.
 *
 * <pre>
 * classroom, round 1 of 1: 3 students open maths-6e, target http://127.0.0.1:8080
 *   2.31 s, 812 requests (351.5 req/s), 41.2 MiB delivered (17.8 MiB/s)
 *                            time to first byte (ms)                time to complete (ms)
 *   kind      requests failed     p50    p90    p99  p99.9    max      p50    p90    p99  p99.9    max
 *   manifest         3      0    51.2   ...
 * </pre>
 */
public final class ConsoleSummary {

  private ConsoleSummary() {}

  /** Writes the summary of {@code round} of {@code report} to {@code out}. */
  public static void write(PrintWriter out, RunReport report, RoundResult round) {
    out.printf(Locale.ROOT, "%n%s, %s: %s, target %s%n", report.command(), round.label(), report.title(),
        report.target());
    out.printf(Locale.ROOT, "  %.2f s, %d requests (%s req/s), %s delivered (%s MiB/s)%n",
        round.durationNanos() / 1e9, round.requests(), Figures.oneDecimal(round.requestsPerSecond()),
        Figures.bytes(round.deliveredBytes()), Figures.oneDecimal(round.mibPerSecond()));
    out.printf(Locale.ROOT, "  %-26s%-36s%s%n", "", "time to first byte (ms)", "time to complete (ms)");
    out.printf(Locale.ROOT, "  %-9s %8s %6s %s %s%n", "kind", "requests", "failed",
        header(), header());
    for (KindResult kind : round.kinds().values()) {
      if (kind.requests() == 0) {
        continue;
      }
      out.printf(Locale.ROOT, "  %-9s %8d %6d %s %s%n", kind.kind().label(), kind.requests(), kind.failed(),
          row(kind.firstByte()), row(kind.complete()));
    }
    out.println("  errors: " + errors(round.errors()));
    // Which statuses the status errors were: a 403 is a refused link, a 5xx the target's own failure.
    out.println("  statuses: " + statuses(round.statuses()));
    if (round.studentsOpeningBooks() > 0) {
      Percentiles open = round.bookOpen();
      out.printf(Locale.ROOT, "  book open (ms): %s (%d of %d books opened)%n",
          open.isEmpty() ? "-" : "p50 " + Figures.millis(open.p50()) + ", p99 " + Figures.millis(open.p99())
              + ", max " + Figures.millis(open.max()),
          round.booksOpened(), round.studentsOpeningBooks());
    }
    UplinkFigures uplink = round.uplink();
    if (uplink != null) {
      out.printf(Locale.ROOT, "  uplink: %d requests, %s from the origin for %s delivered to students (%s)%n",
          uplink.requests(), Figures.bytes(uplink.bytes()), Figures.bytes(round.deliveredBytes()),
          round.deliveredBytes() == 0 ? "-"
              : Figures.ratio((double) uplink.bytes() / round.deliveredBytes()) + " byte per byte delivered");
    }
    out.flush();
  }

  private static String header() {
    return String.format(Locale.ROOT, "%7s%7s%7s%7s%7s", "p50", "p90", "p99", "p99.9", "max");
  }

  private static String row(Percentiles p) {
    if (p.isEmpty()) {
      return String.format(Locale.ROOT, "%7s%7s%7s%7s%7s", "-", "-", "-", "-", "-");
    }
    return String.format(Locale.ROOT, "%7s%7s%7s%7s%7s", Figures.millis(p.p50()), Figures.millis(p.p90()),
        Figures.millis(p.p99()), Figures.millis(p.p999()), Figures.millis(p.max()));
  }

  /** Returns the responses per status, e.g. {@code 200 9100, 206 735, 403 1}, or {@code none}. */
  static String statuses(Map<Integer, Long> statuses) {
    String listed = statuses.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
    return listed.isEmpty() ? "none" : listed;
  }

  /** Returns the error counts that are not zero, e.g. {@code timeout 2, corrupt 1}, or {@code none}. */
  static String errors(Map<ErrorKind, Long> errors) {
    String listed = errors.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .map(e -> e.getKey().label() + " " + e.getValue())
        .collect(Collectors.joining(", "));
    return listed.isEmpty() ? "none" : listed;
  }
}
