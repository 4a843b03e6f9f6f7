package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code classroom}: N students open the same book at 08:00. Prints a summary per round, and with
 * {@code --report DIR} writes {@code classroom.json} and {@code classroom.html} there.
 *
 * <p>Exit codes: 0 when the run completed (request errors are reported, not fatal); 1 when the
 * target (or {@code --origin}) cannot be reached or serves no catalog; 2 for a bad flag, with one
 * line naming it and the expected form.
 */
@Command(name = "classroom", mixinStandardHelpOptions = true, sortOptions = false,
    description = "N students open the same book at the same moment, as browsers: the manifest, the assets "
        + "(6 connections each), then the PDF as pdf.js reads it. Latencies count from each request's intended start.")
public final class ClassroomCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  TargetOptions targets;

  @Option(names = "--students", paramLabel = "N", defaultValue = "35",
      description = "Students in the class (default ${DEFAULT-VALUE}).")
  String students;

  @Option(names = "--book", paramLabel = "ID", description = "The book to open (default: the catalog's first).")
  String book;

  @Option(names = "--spread", paramLabel = "DURATION", defaultValue = "1s",
      description = "Start times spread uniformly over this (default ${DEFAULT-VALUE}).")
  String spread;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
      description = "Classes one after the other; round 2 meets a warm cache (default ${DEFAULT-VALUE}).")
  String rounds;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of the start times (default ${DEFAULT-VALUE}).")
  String seed;

  @Option(names = "--pdf-pages", paramLabel = "N", defaultValue = "20",
      description = "64 KiB PDF ranges read after the file's end, 0 for no PDF (default ${DEFAULT-VALUE}).")
  String pdfPages;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Per-request timeout, from the moment it is sent (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--max-time", paramLabel = "DURATION", defaultValue = "10m",
      description = "Time limit of a round; what is still pending then counts as timeouts (default ${DEFAULT-VALUE}).")
  String maxTime;

  @Option(names = "--flood", paramLabel = "N", defaultValue = "0",
      description = "Before each round after the first, request N distinct one-off objects of --flood-size from the "
          + "target (/blobs/SIZE/flood-...), 8 at a time: does such traffic evict the book? (default ${DEFAULT-VALUE}).")
  String flood;

  @Option(names = "--flood-size", paramLabel = "SIZE", defaultValue = "64KiB",
      description = "Size of each flood object, 1KiB to 1MiB (default ${DEFAULT-VALUE}).")
  String floodSize;

  @Option(names = "--sign-key-file", paramLabel = "FILE",
      description = "Give each student its own signed links, as a publisher's cloud does for a gateway's signed-url "
          + "entitlement rule: the secret (the file's text, stripped, as the gateway reads its secret-file). Every "
          + "request under --sign-prefix then carries exp, grp=student-N, kid and sig (default: no links).")
  String signKeyFile;

  @Option(names = "--sign-key-id", paramLabel = "ID", defaultValue = "k1",
      description = "The kid of the links: the gateway's keys[].id for that secret (default ${DEFAULT-VALUE}).")
  String signKeyId;

  @Option(names = "--sign-prefix", paramLabel = "PREFIX", defaultValue = "/books/",
      description = "Requests whose path starts with this carry the link (default ${DEFAULT-VALUE}).")
  String signPrefix;

  @Option(names = "--sign-ttl", paramLabel = "DURATION", defaultValue = "1h",
      description = "The links expire this long after the run starts (default ${DEFAULT-VALUE}).")
  String signTtl;

  @Option(names = "--unsigned-students", paramLabel = "N", defaultValue = "0",
      description = "With --sign-key-file, the last N students send no link, as pupils without a valid one: "
          + "their manifest answers 403 and they stop there (default ${DEFAULT-VALUE}).")
  String unsignedStudents;

  @Option(names = "--report", paramLabel = "DIR", description = "Write classroom.json and classroom.html here.")
  Path report;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Target target = targets.target();
      int studentCount = Flags.integer("--students", students, 1, 10_000);
      Classroom.Settings settings = new Classroom.Settings(
          target,
          targets.origin(),
          studentCount,
          book,
          Flags.duration("--spread", spread, true),
          Flags.integer("--rounds", rounds, 1, 100),
          Flags.seed("--seed", seed),
          Flags.integer("--pdf-pages", pdfPages, 0, 100_000),
          Flags.duration("--timeout", timeout, false),
          Flags.duration("--max-time", maxTime, false),
          Flags.reportDirectory(report),
          Flags.integer("--flood", flood, 0, 1_000_000),
          Flags.size("--flood-size", floodSize, 1024, 1024 * 1024),
          links(target, studentCount));
      Classroom.run(settings, out);
      return 0;
    } catch (RunSetupException e) {
      err.println("classroom: " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
  }

  /** The students' links, or null without --sign-key-file. */
  private @Nullable StudentLinks links(Target target, int studentCount) throws RunSetupException {
    int unsigned = Flags.integer("--unsigned-students", unsignedStudents, 0, studentCount);
    if (signKeyFile == null) {
      if (unsigned > 0) {
        // Without links every student is unsigned already: the report would say something untrue.
        throw new RunSetupException(Flags.BAD_FLAG, "--unsigned-students: \"" + unsignedStudents
            + "\" (expected: 0 without --sign-key-file, where no student has a link)");
      }
      return null;
    }
    Duration ttl = Flags.duration("--sign-ttl", signTtl, false);
    return new StudentLinks(target.basePath(), Flags.pathPrefix("--sign-prefix", signPrefix),
        Flags.keyId("--sign-key-id", signKeyId), Flags.secretFile("--sign-key-file", signKeyFile), ttl,
        Instant.now().plus(ttl).getEpochSecond(), unsigned);
  }
}
