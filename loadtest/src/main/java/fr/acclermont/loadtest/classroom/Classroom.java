package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.Durations;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.report.ConsoleSummary;
import fr.acclermont.loadtest.report.GroupRecord;
import fr.acclermont.loadtest.report.ReportFiles;
import fr.acclermont.loadtest.report.RoundResult;
import fr.acclermont.loadtest.report.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The classroom scenario: N students open the same book, their start times spread uniformly over
 * {@code spread} (from the seed, the same in every round), each one manifest, assets, then PDF.
 * Each round is a new class (new connections) on the same target; round 2 meets a warm cache.
 */
final class Classroom {

  private Classroom() {}

  /**
   * The validated settings.
   *
   * @param book the book id, or {@code null} for the catalog's first
   * @param maxTime a round's time limit, after which what is pending counts as timeouts
   * @param report the report directory, or {@code null}
   * @param flood one-off objects requested from the target before each round after the first, 0 for none
   * @param floodSize the size of each of them
   * @param links each student's signed links, or {@code null} for none
   */
  record Settings(Target target, @Nullable Target origin, int students, @Nullable String book, Duration spread,
      int rounds, long seed, int pdfPages, Duration timeout, Duration maxTime, @Nullable Path report, int flood,
      long floodSize, @Nullable StudentLinks links) {

    Settings {
      requireNonNull(target, "target");
      requireNonNull(spread, "spread");
      requireNonNull(timeout, "timeout");
      requireNonNull(maxTime, "maxTime");
    }

    /** Without a flood or links. */
    Settings(Target target, @Nullable Target origin, int students, @Nullable String book, Duration spread,
        int rounds, long seed, int pdfPages, Duration timeout, Duration maxTime, @Nullable Path report) {
      this(target, origin, students, book, spread, rounds, seed, pdfPages, timeout, maxTime, report, 0, 64 * 1024,
          null);
    }
  }

  /** Runs every round, prints each summary and writes the reports; returns the report. */
  static RunReport run(Settings settings, PrintWriter out) throws RunSetupException, InterruptedException {
    LoadClient client = TargetSetup.startClient(settings.target(), settings.timeout());
    try (client) {
      TargetCatalog catalog = TargetSetup.catalog(client);
      CatalogBook book = settings.book() == null ? catalog.books().get(0) : catalog.book(settings.book())
          .orElseThrow(() -> new RunSetupException(Flags.BAD_FLAG, "--book: \"" + settings.book()
              + "\" is not in the catalog (expected one of: " + catalog.ids() + ")"));
      BookManifest manifest = TargetSetup.manifest(client, book, settings.links());
      UplinkMeter uplink = UplinkMeter.of(client, settings.origin());
      String measuredOrigin = uplink == null ? null : uplink.origin().toString();
      StudentPlan plan = Plans.openBook(book, manifest, catalog.seed(), settings.pdfPages());
      List<Participant> participants = schedule(settings, plan);
      List<GroupRecord> groups = List.of(new GroupRecord(1, book.id(), plan.activity(), 0, settings.students()));
      Instant startedAt = Instant.now();
      String title = settings.students() + " students open " + book.id() + " (" + manifest.assets().size()
          + " assets, " + plan.requestCount() + " requests each)";
      List<RoundResult> rounds = new ArrayList<>();
      String floodRun = Long.toString(startedAt.toEpochMilli(), 36); // distinct from any earlier run's
      for (int round = 1; round <= settings.rounds(); round++) {
        if (round > 1 && settings.flood() > 0) {
          // Between two classes: a flood of one-off objects, then the next class finds what is left.
          Flood.Result flood = Flood.run(client, settings.flood(), settings.floodSize(), floodRun, round,
              settings.maxTime());
          out.println();
          out.println("before round " + round + ", " + flood.summary(settings.floodSize()));
          out.flush();
        }
        RoundResult result = RoundRunner.run(client, participants, groups, null, settings.maxTime(), round,
            "round " + round + " of " + settings.rounds(), uplink);
        rounds.add(result);
        ConsoleSummary.write(out, report(settings, measuredOrigin, book.id(), title, startedAt, rounds), result);
      }
      RunReport report = report(settings, measuredOrigin, book.id(), title, startedAt, rounds);
      writeFiles(settings.report(), report, out);
      return report;
    }
  }

  /** Spreads the students' start times uniformly over the spread, from the seed; each with its own links if any. */
  static List<Participant> schedule(Settings settings, StudentPlan plan) {
    SplittableRandom random = new SplittableRandom(settings.seed());
    long spreadNanos = settings.spread().toNanos();
    List<Participant> participants = new ArrayList<>(settings.students());
    StudentLinks links = settings.links();
    for (int id = 1; id <= settings.students(); id++) {
      long offset = spreadNanos == 0 ? 0 : random.nextLong(spreadNanos);
      StudentPlan own = links == null ? plan : links.plan(plan, id, settings.students());
      participants.add(new Participant(id, 1, offset, own));
    }
    return participants;
  }

  static void writeFiles(@Nullable Path directory, RunReport report, PrintWriter out) throws RunSetupException {
    writeFiles(directory, dir -> ReportFiles.write(dir, report), out);
  }

  /**
   * Writes reports with {@code writer} into {@code directory}, if any, and prints their paths;
   * exit code 1 if they cannot be written.
   */
  static void writeFiles(@Nullable Path directory, ReportWriter writer, PrintWriter out) throws RunSetupException {
    if (directory == null) {
      return;
    }
    try {
      List<Path> written = writer.write(directory);
      out.println();
      written.forEach(path -> out.println("report: " + path));
      out.flush();
    } catch (IOException e) {
      throw new RunSetupException(1, "--report: cannot write the reports into " + directory + " (" + e + ")");
    }
  }

  /** {@code origin}: the URL whose {@code /_origin/stats} gave the uplink figures, or null. */
  private static RunReport report(Settings s, @Nullable String origin, String bookId, String title,
      Instant startedAt, List<RoundResult> rounds) {
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("students", s.students());
    flags.put("book", bookId);
    flags.put("spread", Durations.format(s.spread()));
    flags.put("rounds", s.rounds());
    flags.put("seed", s.seed());
    flags.put("pdf-pages", s.pdfPages());
    flags.put("timeout", Durations.format(s.timeout()));
    flags.put("max-time", Durations.format(s.maxTime()));
    if (s.flood() > 0) {
      flags.put("flood", s.flood());
      flags.put("flood-size", fr.acclermont.gateway.config.Sizes.format(s.floodSize()));
    }
    StudentLinks links = s.links();
    if (links != null) {
      flags.put("sign-key-id", links.keyId());
      flags.put("sign-prefix", links.prefix());
      flags.put("sign-ttl", Durations.format(links.ttl()));
      flags.put("unsigned-students", links.unsigned());
    }
    return new RunReport("classroom", title, s.target().toString(), origin, startedAt, flags, rounds);
  }

  /** Writes a run's reports into a directory and returns their paths. */
  @FunctionalInterface
  interface ReportWriter {

    /** Writes the reports into {@code directory}. */
    List<Path> write(Path directory) throws IOException;
  }
}
