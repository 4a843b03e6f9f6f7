package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.Durations;
import fr.acclermont.gateway.config.Sizes;
import fr.acclermont.loadtest.client.BodyVerifier;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.RangeSpec;
import fr.acclermont.loadtest.client.RequestKind;
import fr.acclermont.loadtest.client.RequestSpec;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.report.ObjectRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The random-ranges scenario, the second of the chunked-streaming issue: N clients each read
 * {@code reads} ranges of {@code rangeBytes} bytes at uniformly random offsets (aligned to
 * nothing) of the same cold object, one after the other on a keep-alive connection, all clients at
 * once, as pdf.js-style viewers jumping through a large PDF. Every 206's {@code Content-Range} and
 * bytes are verified. Through a gateway, the uplink should carry little more than the distinct
 * bytes asked for, and each range should not wait for more than its own bytes.
 */
final class RandomRanges {

  static final String COMMAND = "random-ranges";
  /** The size of the default object: the 200 MiB file. */
  static final String DEFAULT_SIZE = "200MiB";

  private RandomRanges() {}

  /**
   * The validated settings.
   *
   * @param path the object's path
   * @param rangeBytes the length of every range
   * @param reads the ranges each client reads
   * @param seed the seed of the range offsets
   * @param timeout a read's timeout, from the moment it is sent
   * @param maxTime the run's time limit, after which what is pending counts as timeouts
   * @param warmUps the unrecorded rounds before the measured one ({@link ObjectScenario#warmUp})
   * @param report the report directory, or {@code null}
   */
  record Settings(Target target, @Nullable Target origin, int clients, String path, long rangeBytes, int reads,
      long seed, Duration timeout, Duration maxTime, int warmUps,
      @Nullable Path report) {

    Settings {
      requireNonNull(target, "target");
      requireNonNull(path, "path");
      requireNonNull(timeout, "timeout");
      requireNonNull(maxTime, "maxTime");
    }
  }

  /** Runs the scenario, prints its summary and writes its report; returns the run. */
  static ObjectRun run(Settings settings, PrintWriter out) throws RunSetupException, InterruptedException {
    LoadClient client = TargetSetup.startClient(settings.target(), settings.timeout());
    try (client) {
      DemoObject object = DemoObject.resolve(client, settings.path());
      if (settings.rangeBytes() > object.length()) {
        throw new RunSetupException(Flags.BAD_FLAG, "--range-size: " + Sizes.format(settings.rangeBytes())
            + " (expected: at most the length of " + object.path() + ", " + object.length() + " bytes)");
      }
      String title = settings.clients() + " clients read " + settings.reads() + " random "
          + Sizes.format(settings.rangeBytes()) + " ranges each of " + object.path() + " ("
          + Sizes.format(object.length()) + ")";
      List<StudentPlan> plans = plans(object, settings.clients(), settings.reads(), settings.rangeBytes(),
          settings.seed());
      ObjectScenario.warmUp(client, settings.origin(), settings.clients(), settings.warmUps(), settings.timeout(), out);
      ObjectRun run = ObjectScenario.run(client, settings.origin(), object, plans, settings.maxTime(), COMMAND,
          title, flags(settings));
      ObjectScenario.report(run, false, settings.report(), out);
      return run;
    }
  }

  /**
   * Plans each client's reads: {@code reads} ranges of {@code rangeBytes} bytes whose first bytes
   * are drawn uniformly from every possible offset, one after the other (a failed read does not
   * stop the client). Client {@code i}'s offsets come from the {@code i}-th split of the seed's
   * generator, so the same seed gives the same reads.
   */
  static List<StudentPlan> plans(DemoObject object, int clients, int reads, long rangeBytes, long seed) {
    if (rangeBytes < 1 || rangeBytes > object.length()) {
      throw new IllegalArgumentException("rangeBytes: " + rangeBytes + " (expected: 1 to " + object.length() + ")");
    }
    BodyVerifier verifier = object.verifier();
    long offsets = object.length() - rangeBytes + 1;
    SplittableRandom random = new SplittableRandom(seed);
    List<StudentPlan> plans = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      SplittableRandom own = random.split();
      List<StudentPlan.Batch> batches = new ArrayList<>(reads);
      for (int r = 0; r < reads; r++) {
        RangeSpec range = RangeSpec.of(own.nextLong(offsets), rangeBytes);
        batches.add(new StudentPlan.Batch(List.of(
            RequestSpec.range(RequestKind.RANGE, object.path(), range, object.length(), verifier)), false));
      }
      plans.add(new StudentPlan(ObjectScenario.ACTIVITY, batches, -1));
    }
    return plans;
  }

  private static Map<String, Object> flags(Settings s) {
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("clients", s.clients());
    flags.put("path", s.path());
    flags.put("range-size", Sizes.format(s.rangeBytes()));
    flags.put("reads", s.reads());
    flags.put("seed", s.seed());
    flags.put("timeout", Durations.format(s.timeout()));
    flags.put("max-time", Durations.format(s.maxTime()));
    flags.put("warm-up", s.warmUps());
    return flags;
  }
}
