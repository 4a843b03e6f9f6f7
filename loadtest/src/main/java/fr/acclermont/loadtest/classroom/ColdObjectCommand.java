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
 * {@code cold-object}: N clients GET the same cold object at the same moment. Prints each client's
 * time to first byte and to complete, the percentiles and what the uplink carried; with
 * {@code --report DIR} writes {@code cold-object.json} there.
 *
 * <p>Exit codes: 0 when the run completed (request errors are reported, not fatal); 1 when the
 * target (or {@code --origin}) cannot be reached or serves no catalog; 2 for a bad flag, with one
 * line naming it and the expected form.
 */
@Command(name = "cold-object", mixinStandardHelpOptions = true, sortOptions = false,
    description = "N clients, each on its own connection, GET the same cold object at the same moment; every byte "
        + "is verified. Reports each client's time to first byte and to complete, and how many times the uplink "
        + "carried the object.")
public final class ColdObjectCommand implements Callable<Integer> {

  static final int MAX_CLIENTS = 1_000;
  static final int MAX_WARM_UPS = 10;

  @Spec
  CommandSpec spec;

  @Mixin
  TargetOptions targets;

  @Option(names = "--clients", paramLabel = "N", defaultValue = "35",
      description = "Clients, each on its own connection (default ${DEFAULT-VALUE}).")
  String clients;

  @Option(names = "--path", paramLabel = "PATH",
      description = "The object (default: /blobs/" + ColdObject.DEFAULT_SIZE + "/cold-SUFFIX, a new name each run, "
          + "so the object is cold).")
  String path;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
      description = "A client still receiving this long after the common start counts as a timeout "
          + "(default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--warm-up", paramLabel = "N", defaultValue = "1",
      description = "Unrecorded rounds first, the same clients GETting a fresh " + ObjectScenario.WARM_UP_SIZE
          + " object, so that neither this tool's start-up nor a cold miss path is measured; 0 for none "
          + "(default ${DEFAULT-VALUE}).")
  String warmUp;

  @Option(names = "--report", paramLabel = "DIR", description = "Write cold-object.json here.")
  Path report;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ColdObject.Settings settings = new ColdObject.Settings(
          targets.target(),
          targets.origin(),
          Flags.integer("--clients", clients, 1, MAX_CLIENTS),
          path == null ? ObjectScenario.freshPath(ColdObject.DEFAULT_SIZE, "cold") : Flags.path("--path", path),
          Flags.duration("--timeout", timeout, false),
          Flags.integer("--warm-up", warmUp, 0, MAX_WARM_UPS),
          Flags.reportDirectory(report));
      ColdObject.run(settings, out);
      return 0;
    } catch (RunSetupException e) {
      err.println(ColdObject.COMMAND + ": " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
  }
}
