package fr.acclermont.gateway;

import fr.acclermont.gateway.cache.DiskTier;
import fr.acclermont.gateway.config.AccessLogConfig;
import fr.acclermont.gateway.config.CacheConfig;
import fr.acclermont.gateway.config.ConfigCheck;
import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.config.ServerConfig;
import io.netty.util.internal.PlatformDependent;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code check --config FILE}: validates everything {@code run} would (the configuration's keys and
 * values, the files it reads, the disk directory, the memory size against direct memory) and binds
 * nothing, like {@code nginx -t}. Reports every error it finds, each on its own line of stderr
 * prefixed {@code configuration error: } as {@code run} prints its one; exit 0 or 2.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check a configuration file as 'run' would, without starting: every error, one per line.")
final class CheckCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration file.")
  Path config;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigCheck check = ConfigLoader.check(config, System.getenv());
    List<String> errors = new ArrayList<>(check.errors());
    List<String> notes = new ArrayList<>(check.notes());
    CacheConfig cache = check.cache();
    if (cache != null) {
      try {
        Gateway.checkDirectMemory(cache.memory().maxBytes(), PlatformDependent.maxDirectMemory());
      } catch (ConfigException e) {
        errors.add(check.locate(e.getMessage()));
      }
      if (cache.disk().enabled()) {
        Path root = cache.disk().path();
        DiskTier.check(root).forEach(problem -> errors.add(check.locate(problem)));
        DiskTier.holder(root).ifPresent(pid -> notes.add("cache.disk.path: " + root + " has a lock file naming"
            + " PID " + pid + ": if that gateway is running, run will refuse this directory until it stops"));
      }
    }
    GatewayConfig loaded = check.config();
    if (loaded != null) {
      accessLogProblem(loaded.accessLog()).ifPresent(problem -> errors.add(check.locate(problem)));
    }
    notes.forEach(note -> err.println("note: " + note));
    if (!errors.isEmpty() || loaded == null) {
      errors.forEach(error -> err.println("configuration error: " + error));
      err.flush();
      return CommandLines.USAGE_ERROR;
    }
    out.println("configuration OK: " + config);
    out.println(summary(loaded));
    out.println("(cache.memory.max-bytes was checked against this JVM's maximum direct memory, "
        + PlatformDependent.maxDirectMemory() + " bytes; run with other JVM flags may see another)");
    out.flush();
    err.flush();
    return 0;
  }

  /** Whether the access log file could be opened for appending, as start-up does, without opening it. */
  private static Optional<String> accessLogProblem(AccessLogConfig accessLog) {
    if (accessLog.destination() != AccessLogConfig.Destination.FILE) {
      return Optional.empty();
    }
    Path file = accessLog.file().toAbsolutePath();
    String key = "access-log.path: " + accessLog.file();
    if (Files.isDirectory(file)) {
      return Optional.of(key + " is a directory (expected a file)");
    }
    if (Files.exists(file)) {
      return Files.isWritable(file) ? Optional.empty()
          : Optional.of(key + " is not writable by this user");
    }
    Path parent = file.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return Optional.of(key + " cannot be created: " + parent + " is not a directory");
    }
    return Files.isWritable(parent) ? Optional.empty()
        : Optional.of(key + " cannot be created: " + parent + " is not writable by this user");
  }

  /** One line: the origins and the listeners {@code run} would open. */
  static String summary(GatewayConfig config) {
    ServerConfig server = config.server();
    List<String> listeners = new ArrayList<>();
    if (server.port() != ServerConfig.OFF) {
      listeners.add("http " + server.host() + ":" + server.port());
    }
    if (server.tls() != null) {
      listeners.add("https " + server.host() + ":" + server.tls().port());
    }
    listeners.add("admin " + config.admin().host() + ":" + config.admin().port());
    List<String> origins = config.origins().stream().map(o -> o.name()).toList();
    return config.origins().size() + (config.origins().size() == 1 ? " origin (" : " origins (")
        + String.join(", ", origins) + "); listeners: " + String.join(", ", listeners)
        + (config.cache().disk().enabled() ? "; disk cache " + config.cache().disk().path() : "; no disk cache");
  }
}
