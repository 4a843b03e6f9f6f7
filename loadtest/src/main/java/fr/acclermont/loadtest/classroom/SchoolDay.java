package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.Durations;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.report.ConsoleSummary;
import fr.acclermont.loadtest.report.GroupRecord;
import fr.acclermont.loadtest.report.RoundResult;
import fr.acclermont.loadtest.report.RunReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The school-day scenario: {@code classes} classes start at times spread uniformly over the
 * duration, each on a book drawn with Zipf popularity (s = 1) over the catalog, its students
 * starting within a second. Activities rotate book, pdf, book, video: opening the HTML5 book (as
 * in {@link Classroom}), reading the PDF from a chapter (the end of the file, then consecutive
 * 64 KiB pages), or watching the video (sequential 1 MiB ranges), all from the seed.
 *
 * <p>Bounded in time: no batch is queued after the duration; what is queued then gets
 * {@code drain} more to end, after which it counts as timeouts.
 */
final class SchoolDay {

  static final double ZIPF_EXPONENT = 1.0;
  /** A class's students start within this of its start, as a class opening books together. */
  static final Duration CLASS_SPREAD = Duration.ofSeconds(1);
  private static final String[] ACTIVITIES = {Plans.BOOK, Plans.PDF, Plans.BOOK, Plans.VIDEO};

  private SchoolDay() {}

  /**
   * The validated settings.
   *
   * @param students students per class
   * @param videoReads 1 MiB ranges read by each student watching a video
   * @param drain how long queued requests may still take after the duration
   */
  record Settings(Target target, @Nullable Target origin, int classes, int students, Duration duration, long seed,
      int pdfPages, int videoReads, Duration timeout, Duration drain, @Nullable Path report) {

    Settings {
      requireNonNull(target, "target");
      requireNonNull(duration, "duration");
      requireNonNull(timeout, "timeout");
      requireNonNull(drain, "drain");
    }
  }

  /** Runs the day, prints its summary and writes the reports; returns the report. */
  static RunReport run(Settings settings, PrintWriter out) throws RunSetupException, InterruptedException {
    LoadClient client = TargetSetup.startClient(settings.target(), settings.timeout());
    try (client) {
      TargetCatalog catalog = TargetSetup.catalog(client);
      SplittableRandom random = new SplittableRandom(settings.seed());
      List<PlannedClass> planned = chooseClasses(settings, catalog, random);
      Map<String, BookManifest> manifests = new HashMap<>();
      for (PlannedClass c : planned) {
        if (c.activity().equals(Plans.BOOK) && !manifests.containsKey(c.book().id())) {
          manifests.put(c.book().id(), TargetSetup.manifest(client, c.book()));
        }
      }
      List<Participant> participants = new ArrayList<>();
      List<GroupRecord> groups = new ArrayList<>();
      for (int i = 0; i < planned.size(); i++) {
        PlannedClass c = planned.get(i);
        StudentPlan plan = plan(c, catalog.seed(), manifests, settings, random);
        for (int s = 0; s < settings.students(); s++) {
          long offset = c.startNanos() + random.nextLong(CLASS_SPREAD.toNanos());
          participants.add(new Participant(participants.size() + 1, i + 1, offset, plan));
        }
        groups.add(new GroupRecord(i + 1, c.book().id(), c.activity(), c.startNanos(), settings.students()));
      }
      UplinkMeter uplink = UplinkMeter.of(client, settings.origin());
      Instant startedAt = Instant.now();
      RoundResult day = RoundRunner.run(client, participants, groups, settings.duration(),
          settings.duration().plus(settings.drain()), 1, "school day", uplink);
      RunReport report = report(settings, uplink == null ? null : uplink.origin().toString(), startedAt,
          List.of(day));
      ConsoleSummary.write(out, report, day);
      Classroom.writeFiles(settings.report(), report, out);
      return report;
    }
  }

  /** Picks each class's book, activity and start, numbered by start. */
  static List<PlannedClass> chooseClasses(Settings settings, TargetCatalog catalog, SplittableRandom random) {
    List<CatalogBook> books = catalog.books();
    List<CatalogBook> withVideo = books.stream().filter(CatalogBook::hasVideo).toList();
    Zipf zipf = new Zipf(books.size(), ZIPF_EXPONENT);
    Zipf videoZipf = withVideo.isEmpty() ? null : new Zipf(withVideo.size(), ZIPF_EXPONENT);
    List<PlannedClass> planned = new ArrayList<>();
    for (int i = 0; i < settings.classes(); i++) {
      String activity = ACTIVITIES[i % ACTIVITIES.length];
      if (activity.equals(Plans.VIDEO) && videoZipf == null) {
        activity = Plans.PDF;
      }
      CatalogBook book = activity.equals(Plans.VIDEO)
          ? withVideo.get(videoZipf.sample(random)) : books.get(zipf.sample(random));
      planned.add(new PlannedClass(book, activity, random.nextLong(settings.duration().toNanos())));
    }
    planned.sort(Comparator.comparingLong(PlannedClass::startNanos));
    return planned;
  }

  private static StudentPlan plan(PlannedClass c, long seed, Map<String, BookManifest> manifests, Settings settings,
      SplittableRandom random) {
    return switch (c.activity()) {
      case Plans.BOOK -> Plans.openBook(c.book(), manifests.get(c.book().id()), seed, settings.pdfPages());
      case Plans.VIDEO -> Plans.watchVideo(c.book(), seed, settings.videoReads());
      default -> {
        // The class reads one chapter together: the same pages for every student.
        long chapters = Math.max(1, Plans.pdfPageCount(c.book()) - settings.pdfPages());
        yield Plans.readPdf(c.book(), seed, random.nextLong(chapters), settings.pdfPages());
      }
    };
  }

  /** {@code origin}: the URL whose {@code /_origin/stats} gave the uplink figures, or null. */
  private static RunReport report(Settings s, @Nullable String origin, Instant startedAt, List<RoundResult> rounds) {
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("classes", s.classes());
    flags.put("students", s.students());
    flags.put("duration", Durations.format(s.duration()));
    flags.put("seed", s.seed());
    flags.put("pdf-pages", s.pdfPages());
    flags.put("video-reads", s.videoReads());
    flags.put("timeout", Durations.format(s.timeout()));
    flags.put("drain", Durations.format(s.drain()));
    String title = s.classes() + " classes of " + s.students() + " students over " + Durations.format(s.duration());
    return new RunReport("school-day", title, s.target().toString(), origin, startedAt, flags, rounds);
  }

  /**
   * A class before its students are planned.
   *
   * @param startNanos when it starts, from the day's start
   */
  record PlannedClass(CatalogBook book, String activity, long startNanos) {}
}
