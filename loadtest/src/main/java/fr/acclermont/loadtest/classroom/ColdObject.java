package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.Durations;
import fr.acclermont.gateway.config.Sizes;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.RequestKind;
import fr.acclermont.loadtest.client.RequestSpec;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.report.ObjectRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The cold-object scenario, the first of the chunked-streaming issue: N clients, each on its own
 * connection, GET the same object nobody fetched before at the same moment, and every byte is
 * verified. Through a gateway, the uplink should carry the object once and each client should get
 * its first byte as soon as the origin's first bytes arrive.
 */
final class ColdObject {

  static final String COMMAND = "cold-object";
  /** The size of the default object: the 20 MiB, 1.68 s over a 100 Mbit/s uplink. */
  static final String DEFAULT_SIZE = "20MiB";

  private ColdObject() {}

  /**
   * The validated settings.
   *
   * @param path the object's path
   * @param timeout how long a client may take to receive the whole object, from the common start
   * @param warmUps the unrecorded rounds before the measured one ({@link ObjectScenario#warmUp})
   * @param report the report directory, or {@code null}
   */
  record Settings(Target target, @Nullable Target origin, int clients, String path, Duration timeout,
      int warmUps, @Nullable Path report) {

    Settings {
      requireNonNull(target, "target");
      requireNonNull(path, "path");
      requireNonNull(timeout, "timeout");
    }
  }

  /** Runs the scenario, prints its summary and writes its report; returns the run. */
  static ObjectRun run(Settings settings, PrintWriter out) throws RunSetupException, InterruptedException {
    LoadClient client = TargetSetup.startClient(settings.target(), settings.timeout());
    try (client) {
      DemoObject object = DemoObject.resolve(client, settings.path());
      ObjectScenario.warmUp(client, settings.origin(), settings.clients(), settings.warmUps(), settings.timeout(), out);
      String title = settings.clients() + " clients GET " + object.path() + " (" + Sizes.format(object.length())
          + ") at the same moment";
      ObjectRun run = ObjectScenario.run(client, settings.origin(), object,
          Collections.nCopies(settings.clients(), plan(object)), settings.timeout(), COMMAND, title, flags(settings));
      ObjectScenario.report(run, true, settings.report(), out);
      return run;
    }
  }

  /**
   * One whole GET of the object, verified byte for byte. It is recorded as an asset (a resource
   * fetched whole); the object report merges kinds and names none.
   */
  static StudentPlan plan(DemoObject object) {
    RequestSpec get = RequestSpec.whole(RequestKind.ASSET, object.path(), object.length(), object.verifier());
    return new StudentPlan(ObjectScenario.ACTIVITY, List.of(new StudentPlan.Batch(List.of(get), true)), -1);
  }

  private static Map<String, Object> flags(Settings s) {
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("clients", s.clients());
    flags.put("path", s.path());
    flags.put("timeout", Durations.format(s.timeout()));
    flags.put("warm-up", s.warmUps());
    return flags;
  }
}
