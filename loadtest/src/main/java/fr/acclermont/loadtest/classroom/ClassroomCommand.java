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

  @Option(names = "--report", paramLabel = "DIR", description = "Write classroom.json and classroom.html here.")
  Path report;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Classroom.Settings settings = new Classroom.Settings(
          targets.target(),
          targets.origin(),
          Flags.integer("--students", students, 1, 10_000),
          book,
          Flags.duration("--spread", spread, true),
          Flags.integer("--rounds", rounds, 1, 100),
          Flags.seed("--seed", seed),
          Flags.integer("--pdf-pages", pdfPages, 0, 100_000),
          Flags.duration("--timeout", timeout, false),
          Flags.duration("--max-time", maxTime, false),
          Flags.reportDirectory(report),
          Flags.integer("--flood", flood, 0, 1_000_000),
          Flags.size("--flood-size", floodSize, 1024, 1024 * 1024));
      Classroom.run(settings, out);
      return 0;
    } catch (RunSetupException e) {
      err.println("classroom: " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
  }
}
