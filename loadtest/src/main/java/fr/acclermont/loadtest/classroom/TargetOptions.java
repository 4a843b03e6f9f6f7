package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.Target;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --target}, {@code --origin} and {@code --origin-ca}, shared by every command that drives
 * a target (a picocli mixin): where the clients go, the origin whose {@code /_origin/stats} counts
 * what crossed the uplink, and the CA that https URLs among them must chain to (the CDN-profile
 * origin's throw-away CA). Without {@code --origin-ca} an https URL is verified against the JVM's
 * trust store; certificate verification is never turned off.
 */
final class TargetOptions {

  @Option(names = "--target", required = true, paramLabel = "URL",
      description = "Where the clients go: the gateway, the origin itself, or any proxy (http://host:port, or "
          + "https://host:port verified with --origin-ca or the system trust store).")
  String target;

  @Option(names = "--origin", paramLabel = "URL",
      description = "The origin whose /_origin/stats counts the bytes that crossed the uplink (reset before each "
          + "round). Without it, the target's own /_origin/stats when it answers (the target is the origin).")
  String origin;

  @Option(names = "--origin-ca", paramLabel = "FILE",
      description = "PEM file of the CA that https --origin and --target URLs must chain to, e.g. what "
          + "origin --profile cdn --ca-out wrote (default: the system trust store).")
  String originCa;

  /** The parsed {@code --target}, trusting {@code --origin-ca} if https. */
  Target target() throws RunSetupException {
    return Flags.target("--target", target).trusting(caFile());
  }

  /** The parsed {@code --origin}, trusting {@code --origin-ca} if https, or null. */
  @Nullable Target origin() throws RunSetupException {
    Target parsed = Flags.optionalTarget("--origin", origin);
    return parsed == null ? null : parsed.trusting(caFile());
  }

  private @Nullable Path caFile() throws RunSetupException {
    return Flags.caFile("--origin-ca", originCa);
  }
}
