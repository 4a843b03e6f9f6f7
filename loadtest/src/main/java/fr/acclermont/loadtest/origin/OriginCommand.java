package fr.acclermont.loadtest.origin;

import fr.acclermont.gateway.config.Durations;
import fr.acclermont.gateway.demo.ContentCoding;
import fr.acclermont.gateway.demo.OriginProfile;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code origin --port P [--host H] [--bandwidth 100mbit] [--latency 20ms] [--seed 1]
 * [--fail-rate 0] [--reset-rate 0] [--stall-rate 0] [--stall 5s] [--profile plain]
 * [--ca-out FILE]}: the demo origin behind a
 * school's uplink, until SIGTERM or Ctrl-C. The values shown are the defaults (the command-line
 * contract of DESIGN.md and issue 3): without flags the origin is a school's 100 Mbit/s uplink
 * with 20 ms before each first byte; {@code --bandwidth unlimited --latency 0ms} removes the
 * shaping; {@code --profile cdn} serves HTTPS (trust the CA written to {@code --ca-out}) and
 * compressed text as a publisher's CDN does. Wiring only: flags are read by {@link Flags}, the server is an {@link OriginSimulator}.
 *
 * <p>Exit codes: 0 after a signal (graceful close), 2 for a bad flag, 1 when the origin cannot
 * start (e.g. the port is in use). Errors are one line on standard error.
 */
@Command(name = "origin", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run the demo origin (synthetic textbook catalog) behind a simulated school uplink "
        + "(100mbit and 20ms unless told otherwise), with optional random faults, until Ctrl-C or SIGTERM.")
public final class OriginCommand implements Callable<Integer> {

  /** A school's uplink: the contract's default, so {@code origin --port P} is what a school sees. */
  static final String DEFAULT_BANDWIDTH = "100mbit";
  /** The contract's default delay before each response's first byte. */
  static final String DEFAULT_LATENCY = "20ms";

  private static final int EXIT_BAD_FLAG = 2;
  private static final int EXIT_CANNOT_START = 1;
  /** How long a signal waits for the graceful close (the origin's own close is bounded by 15 s). */
  private static final long SHUTDOWN_WAIT_SECONDS = 20;

  @Spec
  CommandSpec spec;

  @Option(names = "--port", required = true, paramLabel = "P",
      description = "Port to listen on (0 picks a free one).")
  String port;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for the LAN).")
  String host;

  @Option(names = "--bandwidth", defaultValue = DEFAULT_BANDWIDTH, paramLabel = "RATE",
      description = "Total uplink rate shared fairly by all connections, decimal bits per second: "
          + "100mbit, 10mbit, 1gbit, 500kbit, or unlimited for no shaping (default ${DEFAULT-VALUE}).")
  String bandwidth;

  @Option(names = "--latency", defaultValue = DEFAULT_LATENCY, paramLabel = "DURATION",
      description = "Delay before each response's first byte, 0ms for none (default ${DEFAULT-VALUE}).")
  String latency;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
      description = "Seed of the catalog, the content and the random faults (default ${DEFAULT-VALUE}).")
  String seed;

  @Option(names = "--fail-rate", defaultValue = "0", paramLabel = "SHARE",
      description = "Share of /books/ and /blobs/ requests answered 503, 0 to 1 (default ${DEFAULT-VALUE}).")
  String failRate;

  @Option(names = "--reset-rate", defaultValue = "0", paramLabel = "SHARE",
      description = "Share of those requests whose connection is reset mid-body (default ${DEFAULT-VALUE}).")
  String resetRate;

  @Option(names = "--stall-rate", defaultValue = "0", paramLabel = "SHARE",
      description = "Share of those requests that stop mid-body for --stall, then resume (default ${DEFAULT-VALUE}).")
  String stallRate;

  @Option(names = "--stall", defaultValue = "5s", paramLabel = "DURATION",
      description = "How long a stalled body pauses (default ${DEFAULT-VALUE}).")
  String stall;

  @Option(names = "--profile", defaultValue = "plain", paramLabel = "NAME",
      description = "plain: HTTP, identity bodies (default); https: the same answers over HTTPS with a throw-away CA "
          + "(what TLS alone costs); cdn: HTTPS, text compressed (br, gzip) per Accept-Encoding with Vary, a "
          + "publisher CDN's Cache-Control.")
  String profile;

  @Option(names = "--ca-out", paramLabel = "FILE",
      description = "With --profile https or cdn: write the throw-away CA's certificate (PEM) here, for a gateway's "
          + "origins[].tls.ca-file or a load test's --origin-ca (default: a temporary file, printed).")
  String caOut;

  private final CountDownLatch stopRequested = new CountDownLatch(1);

  /** Creates the command; picocli fills the flags. */
  public OriginCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OriginSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return EXIT_BAD_FLAG;
    }
    OriginSimulator origin;
    try {
      origin = OriginSimulator.start(settings);
    } catch (UncheckedIOException e) {
      String reason = e.getCause().getMessage();
      boolean inUse = reason != null && reason.contains("in use");
      err.println("cannot listen on " + settings.host() + ":" + settings.port() + ": " + reason
          + (inUse ? " (another server has --port " + settings.port() + ")" : ""));
      err.flush();
      return EXIT_CANNOT_START;
    } catch (RuntimeException e) {
      err.println("cannot start the origin: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      err.flush();
      return EXIT_CANNOT_START;
    }
    printUrls(out, origin);
    return runUntilStopped(origin);
  }

  /** Stops a running {@link #call()} as a signal would; for tests. */
  void requestStop() {
    stopRequested.countDown();
  }

  private OriginSettings settings() {
    double fail = Flags.share("--fail-rate", failRate);
    double reset = Flags.share("--reset-rate", resetRate);
    double stalls = Flags.share("--stall-rate", stallRate);
    Flags.sharesOfOneWhole("--fail-rate + --reset-rate + --stall-rate", fail, reset, stalls);
    OriginProfile parsedProfile = Flags.profile("--profile", profile);
    OriginSettings.Builder builder = OriginSettings.builder().profile(parsedProfile);
    if (caOut != null) {
      builder.caFile(Flags.caOut("--ca-out", caOut, parsedProfile));
    }
    return builder
        .port(Flags.port("--port", port))
        .host(Flags.host("--host", host))
        .bandwidth(Flags.bandwidth("--bandwidth", bandwidth))
        .latency(Flags.duration("--latency", latency))
        .seed(Flags.seed("--seed", seed))
        .failRate(fail)
        .resetRate(reset)
        .stallRate(stalls)
        .stall(Flags.duration("--stall", stall))
        .build();
  }

  /** Blocks until a signal (or {@link #requestStop()}), then closes the origin gracefully. */
  private int runUntilStopped(OriginSimulator origin) {
    CountDownLatch closed = new CountDownLatch(1);
    // The JVM exits once its shutdown hooks return: this one waits for the close below.
    Thread hook = new Thread(() -> {
      stopRequested.countDown();
      try {
        closed.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "origin-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      origin.close();
      closed.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is the one running.
    }
    return 0;
  }

  private static void printUrls(PrintWriter out, OriginSimulator origin) {
    OriginSettings s = origin.settings();
    String stats = origin.baseUri() + "/_origin/stats";
    String uplink = s.bandwidth().isUnlimited() ? "unlimited" : s.bandwidth() + " shared by all connections";
    out.println("Origin simulator on " + origin.baseUri());
    out.println("  catalog:  " + origin.catalogUri());
    out.println("  stats:    " + stats + "   (POST " + stats + "/reset zeroes them)");
    out.println("  uplink:   " + uplink + ", latency " + Durations.format(s.latency()) + ", seed " + s.seed());
    if (origin.caFile().isPresent()) {
      out.println("  profile:  cdn (HTTPS, text as " + (ContentCoding.BR.available() ? "br or gzip" : "gzip")
          + " per Accept-Encoding); CA certificate to trust: " + origin.caFile().get());
    }
    out.println("  faults:   503 " + percent(s.failRate()) + ", reset " + percent(s.resetRate())
        + ", stall " + percent(s.stallRate()) + " for " + Durations.format(s.stall())
        + " (of /books/ and /blobs/ requests)");
    out.println("Stop with Ctrl-C or SIGTERM.");
    out.flush();
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.4g%%", share * 100).replaceFirst("\\.?0+%$", "%");
  }
}
