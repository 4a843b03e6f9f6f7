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
 * {@code random-ranges}: N clients each read random ranges of the same cold object, one after the
 * other on a keep-alive connection. Prints the range latency percentiles, errors by kind, bytes
 * and what the uplink carried; with {@code --report DIR} writes {@code random-ranges.json} there.
 *
 * <p>Exit codes: 0 when the run completed (request errors are reported, not fatal); 1 when the
 * target (or {@code --origin}) cannot be reached or serves no catalog; 2 for a bad flag, with one
 * line naming it and the expected form.
 */
@Command(name = "random-ranges", mixinStandardHelpOptions = true, sortOptions = false,
    description = "N clients each read random byte ranges (uniform offsets, aligned to nothing) of the same cold "
        + "object, one after the other on a keep-alive connection, all clients at once; every 206 is verified. "
        + "Latencies count from each read's intended start.")
public final class RandomRangesCommand implements Callable<Integer> {

  static final int MAX_CLIENTS = 1_000;
  static final int MAX_WARM_UPS = 10;
  static final int MAX_READS = 1_000;
  static final long MAX_RANGE_BYTES = 1L << 30;

  @Spec
  CommandSpec spec;

  @Mixin
  TargetOptions targets;

  @Option(names = "--clients", paramLabel = "N", defaultValue = "35",
      description = "Clients, each on its own keep-alive connection (default ${DEFAULT-VALUE}).")
  String clients;

  @Option(names = "--path", paramLabel = "PATH",
      description = "The object (default: /blobs/" + RandomRanges.DEFAULT_SIZE + "/ranges-SUFFIX, a new name each "
          + "run, so the object is cold).")
  String path;

  @Option(names = "--range-size", paramLabel = "SIZE", defaultValue = "64KiB",
      description = "Bytes per range (default ${DEFAULT-VALUE}).")
  String rangeSize;

  @Option(names = "--reads", paramLabel = "N", defaultValue = "20",
      description = "Ranges each client reads, one after the other (default ${DEFAULT-VALUE}).")
  String reads;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of the range offsets (default ${DEFAULT-VALUE}).")
  String seed;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Per-read timeout, from the moment it is sent (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--max-time", paramLabel = "DURATION", defaultValue = "10m",
      description = "Time limit of the run; what is still pending then counts as timeouts (default ${DEFAULT-VALUE}).")
  String maxTime;

  @Option(names = "--warm-up", paramLabel = "N", defaultValue = "1",
      description = "Unrecorded rounds first, the same clients GETting a fresh " + ObjectScenario.WARM_UP_SIZE
          + " object, so that neither this tool's start-up nor a cold miss path is measured; 0 for none "
          + "(default ${DEFAULT-VALUE}).")
  String warmUp;

  @Option(names = "--report", paramLabel = "DIR", description = "Write random-ranges.json here.")
  Path report;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      RandomRanges.Settings settings = new RandomRanges.Settings(
          targets.target(),
          targets.origin(),
          Flags.integer("--clients", clients, 1, MAX_CLIENTS),
          path == null ? ObjectScenario.freshPath(RandomRanges.DEFAULT_SIZE, "ranges") : Flags.path("--path", path),
          Flags.size("--range-size", rangeSize, 1, MAX_RANGE_BYTES),
          Flags.integer("--reads", reads, 1, MAX_READS),
          Flags.seed("--seed", seed),
          Flags.duration("--timeout", timeout, false),
          Flags.duration("--max-time", maxTime, false),
          Flags.integer("--warm-up", warmUp, 0, MAX_WARM_UPS),
          Flags.reportDirectory(report));
      RandomRanges.run(settings, out);
      return 0;
    } catch (RunSetupException e) {
      err.println(RandomRanges.COMMAND + ": " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
  }
}
