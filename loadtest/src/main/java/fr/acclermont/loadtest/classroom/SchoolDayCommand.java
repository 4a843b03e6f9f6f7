package fr.acclermont.loadtest.classroom;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code school-day}: several classes open books of Zipf popularity, read PDFs and watch a video,
 * over a bounded time. Prints a summary, and with {@code --report DIR} writes
 * {@code school-day.json} and {@code school-day.html} there.
 *
 * <p>Exit codes: 0 when the run completed (request errors are reported, not fatal); 1 when the
 * target (or {@code --origin}) cannot be reached or serves no catalog; 2 for a bad flag, with one
 * line naming it and the expected form.
 */
@Command(name = "school-day", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Classes start over the day on books of Zipf popularity: HTML5 books, PDF reading and a video, "
        + "bounded in time. Latencies count from each request's intended start.")
public final class SchoolDayCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  TargetOptions targets;

  @Option(names = "--classes", paramLabel = "N", defaultValue = "6",
      description = "Classes over the day (default ${DEFAULT-VALUE}).")
  String classes;

  @Option(names = "--students", paramLabel = "N", defaultValue = "35",
      description = "Students per class (default ${DEFAULT-VALUE}).")
  String students;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s",
      description = "Classes start within this; nothing is sent after it (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of the books, activities and start times (default ${DEFAULT-VALUE}).")
  String seed;

  @Option(names = "--pdf-pages", paramLabel = "N", defaultValue = "20",
      description = "64 KiB PDF pages read per student (default ${DEFAULT-VALUE}).")
  String pdfPages;

  @Option(names = "--video-reads", paramLabel = "N", defaultValue = "16",
      description = "Sequential 1 MiB video ranges read per student watching (default ${DEFAULT-VALUE}).")
  String videoReads;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Per-request timeout, from the moment it is sent (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--drain", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long requests queued before the end may still take; then they count as timeouts "
          + "(default ${DEFAULT-VALUE}).")
  String drain;

  @Option(names = "--report", paramLabel = "DIR", description = "Write school-day.json and school-day.html here.")
  Path report;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      SchoolDay.Settings settings = new SchoolDay.Settings(
          targets.target(),
          targets.origin(),
          Flags.integer("--classes", classes, 1, 1_000),
          Flags.integer("--students", students, 1, 10_000),
          Flags.duration("--duration", duration, false),
          Flags.seed("--seed", seed),
          Flags.integer("--pdf-pages", pdfPages, 0, 100_000),
          Flags.integer("--video-reads", videoReads, 0, 100_000),
          Flags.duration("--timeout", timeout, false),
          Flags.duration("--drain", drain, true),
          Flags.reportDirectory(report));
      SchoolDay.run(settings, out);
      return 0;
    } catch (RunSetupException e) {
      err.println("school-day: " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
  }
}
