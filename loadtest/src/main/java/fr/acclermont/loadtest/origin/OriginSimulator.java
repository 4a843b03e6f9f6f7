package fr.acclermont.loadtest.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.demo.Catalog;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.demo.FaultInjector;
import fr.acclermont.gateway.demo.OriginStats;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The demo origin behind a school's uplink: the catalog and test hooks of the gateway's
 * {@link DemoOrigin}, plus a total bandwidth shared fairly by every connection, a latency before
 * each response and random faults. Start with {@link #start(OriginSettings)}, stop with
 * {@link #close()}.
 *
 * <p>The uplink meters every byte the origin sends, control endpoints ({@code /_origin/...})
 * included: they are not starved, since each connection gets a turn of 16 KiB per round of the
 * fair queue (a round lasts at most the number of busy connections times 16 KiB at the rate,
 * e.g. 46 ms for 35 connections at 100mbit). Faults apply only to content, and a fault asked
 * for in the query string (the demo origin's test hooks) wins over a random one.
 *
 * <p>Thread-safe.
 */
public final class OriginSimulator implements AutoCloseable {

  /** The name of the shaping handler at the head of each connection's pipeline. */
  static final String SHAPER_HANDLER_NAME = "uplink-shaper";

  private final DemoOrigin origin;
  private final UplinkShaper uplink;
  private final OriginSettings settings;
  private final DemoOriginOptions originOptions;

  private OriginSimulator(DemoOrigin origin, UplinkShaper uplink, OriginSettings settings,
      DemoOriginOptions originOptions) {
    this.origin = origin;
    this.uplink = uplink;
    this.settings = settings;
    this.originOptions = originOptions;
  }

  /**
   * Starts an origin and returns once it listens.
   *
   * @throws java.io.UncheckedIOException if the address cannot be bound (e.g. the port is taken)
   * @throws IllegalStateException if the server cannot start for another reason
   */
  public static OriginSimulator start(OriginSettings settings) {
    return start(settings, UplinkShaper::new);
  }

  /**
   * Starts an origin whose uplink, when the bandwidth is limited, is made by {@code uplinks} from
   * the rate in bytes per second: tests pass one with a clock and a timer they drive.
   */
  static OriginSimulator start(OriginSettings settings, LongFunction<UplinkShaper> uplinks) {
    requireNonNull(settings, "settings");
    requireNonNull(uplinks, "uplinks");
    FaultInjector randomFaults = new RandomFaultInjector(settings.seed(), settings.failRate(),
        settings.resetRate(), settings.stallRate(), settings.stall());
    DemoOriginOptions.Builder options = DemoOriginOptions.builder()
        .host(settings.host())
        .port(settings.port())
        .seed(settings.seed())
        .latency(settings.latency())
        .profile(settings.profile())
        // Query hooks first: a test that asks for a fault gets exactly that one.
        .faultInjector(FaultInjector.fromQuery().orElse(randomFaults));
    if (settings.caFile() != null) {
      options.caFile(settings.caFile());
    }
    UplinkShaper uplink = null;
    if (!settings.bandwidth().isUnlimited()) {
      UplinkShaper shared = uplinks.apply(settings.bandwidth().bytesPerSecond());
      // First in the pipeline, before TLS (CDN profile): the uplink carries encrypted bytes.
      options.pipelineCustomizer(
          pipeline -> pipeline.addFirst(SHAPER_HANDLER_NAME, new UplinkShapingHandler(shared)));
      uplink = shared;
    }
    try {
      DemoOriginOptions built = options.build();
      return new OriginSimulator(DemoOrigin.start(built), uplink, settings, built);
    } catch (RuntimeException e) {
      if (uplink != null) {
        uplink.close();
      }
      throw e;
    }
  }

  /** Returns the port the origin listens on (the ephemeral one when port 0 was asked). */
  public int port() {
    return origin.port();
  }

  /**
   * Returns the origin's URL without a trailing slash, e.g. {@code http://127.0.0.1:8000}, or
   * {@code https://...} under the CDN profile.
   */
  public URI baseUri() {
    return origin.baseUri();
  }

  /** Returns the URL of the catalog, {@code /_origin/catalog}. */
  public URI catalogUri() {
    return URI.create(origin.baseUri() + "/_origin/catalog");
  }

  /** Returns the file with the CA certificate (PEM) to trust under a TLS profile, or empty. */
  public Optional<Path> caFile() {
    return origin.caFile();
  }

  /** Returns the catalog served. */
  public Catalog catalog() {
    return origin.catalog();
  }

  /** Returns the live request and byte counts (also served at {@code /_origin/stats}). */
  public OriginStats stats() {
    return origin.stats();
  }

  /** Returns the demo origin's options made from the settings (latency, faults); for tests. */
  DemoOriginOptions originOptions() {
    return originOptions;
  }

  /** Returns the settings the origin was started with. */
  public OriginSettings settings() {
    return settings;
  }

  /** Closes every connection, stops the event loops, then the uplink's timer. Idempotent. */
  @Override
  public void close() {
    origin.close();
    if (uplink != null) {
      uplink.close();
    }
  }

  @Override
  public String toString() {
    return "OriginSimulator{" + origin.baseUri() + ", " + settings + "}";
  }
}
