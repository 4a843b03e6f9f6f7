package fr.acclermont.gateway;

import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jvm-flags --config FILE}: prints, on one line of stdout, the JVM memory flags that suit the
 * file's {@code cache.memory.max-bytes} (see {@link #flags}), for a launcher to put before
 * {@code -jar}: the Debian package's {@code /usr/bin/textbook-gateway} does. The file is read with
 * the loader {@code run} uses, so a configuration error stops here with the same line and exit 2.
 */
@Command(name = "jvm-flags", mixinStandardHelpOptions = true,
    description = "Print the JVM memory flags (-Xms, -Xmx, -XX:MaxDirectMemorySize) that suit a configuration file.")
final class JvmFlagsCommand implements Callable<Integer> {

  private static final long MIB = 1024L * 1024;
  /** Direct memory above cache.memory.max-bytes / 0.75, for the rounding and what Netty keeps besides. */
  static final long DIRECT_HEADROOM = 64 * MIB;
  /** The smallest heap: the benchmarks' fixed heap, enough for the defaults (bodies live in direct memory). */
  static final long MIN_HEAP = 256 * MIB;
  /** The largest heap the flags give; a larger one only makes collections longer. */
  static final long MAX_HEAP = 4096 * MIB;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration file.")
  Path config;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    GatewayConfig loaded;
    try {
      loaded = ConfigLoader.load(config, System.getenv());
    } catch (ConfigException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("configuration error: " + e.getMessage());
      err.flush();
      return CommandLines.USAGE_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(flags(loaded.cache().memory().maxBytes()));
    out.flush();
    return 0;
  }

  /**
   * The flags for a memory tier of {@code memoryBytes}: a fixed heap ({@code -Xms} = {@code -Xmx})
   * of a quarter of the memory tier, at least {@link #MIN_HEAP} and at most {@link #MAX_HEAP} (it
   * holds the caches' indexes and the requests in flight, not the bodies), and a maximum direct
   * memory of {@code memoryBytes} / 0.75 (the least start-up accepts, see
   * {@code Gateway.checkDirectMemory}) rounded up to a MiB, plus {@link #DIRECT_HEADROOM}. All in
   * whole MiB ({@code m}).
   *
   * @param memoryBytes {@code cache.memory.max-bytes}, {@code > 0}
   * @return for example {@code -Xms256m -Xmx256m -XX:MaxDirectMemorySize=747m} for 512MiB
   */
  static String flags(long memoryBytes) {
    if (memoryBytes <= 0) {
      throw new IllegalArgumentException("memoryBytes: " + memoryBytes);
    }
    long heapMib = Math.min(MAX_HEAP, Math.max(MIN_HEAP, memoryBytes / 4)) / MIB;
    long directMib = ceilMib((long) Math.ceil(memoryBytes / Gateway.MEMORY_TIER_SHARE_OF_DIRECT))
        + DIRECT_HEADROOM / MIB;
    return "-Xms" + heapMib + "m -Xmx" + heapMib + "m -XX:MaxDirectMemorySize=" + directMib + "m";
  }

  private static long ceilMib(long bytes) {
    return (bytes + MIB - 1) / MIB;
  }
}
