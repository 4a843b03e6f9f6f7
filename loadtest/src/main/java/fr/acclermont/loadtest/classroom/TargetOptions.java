package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.Target;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --target} and {@code --origin}, shared by every command that drives a target (a picocli
 * mixin): where the clients go, and the origin whose {@code /_origin/stats} counts what crossed
 * the uplink.
 */
final class TargetOptions {

  @Option(names = "--target", required = true, paramLabel = "URL",
      description = "Where the clients go: the gateway, the origin itself, or any proxy (http://host:port).")
  String target;

  @Option(names = "--origin", paramLabel = "URL",
      description = "The origin whose /_origin/stats counts the bytes that crossed the uplink (reset before each "
          + "round). Without it, the target's own /_origin/stats when it answers (the target is the origin).")
  String origin;

  /** The parsed {@code --target}. */
  Target target() throws RunSetupException {
    return Flags.target("--target", target);
  }

  /** The parsed {@code --origin}, or null. */
  @Nullable Target origin() throws RunSetupException {
    return Flags.optionalTarget("--origin", origin);
  }
}
