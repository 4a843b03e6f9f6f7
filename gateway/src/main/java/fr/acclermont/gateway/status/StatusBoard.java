package fr.acclermont.gateway.status;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginHealth;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the status page knows, kept up to date: the hourly traffic (sampled from the meters every
 * {@link #SAMPLE_SECONDS} seconds, and saved beside the disk tier's files every
 * {@link #SAVE_MINUTES} minutes and at close, so a restart keeps the chart), the books served today,
 * the last warnings. {@link #snapshot} gathers them with the origins' and tiers' state. Its own
 * thread does the sampling and the file writes, never an event loop. Thread-safe.
 */
public final class StatusBoard implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);
  static final int SAMPLE_SECONDS = 10;
  static final int SAVE_MINUTES = 5;
  /** Warnings kept for the page. */
  static final int WARNINGS = 20;
  /** Where the history is saved, under the disk tier's directory. */
  static final String HISTORY_FILE = "status/traffic-history.json";

  private final GatewayConfig config;
  private final GatewayMetrics metrics;
  /** The routes now: a reload may add, remove or replace origins. */
  private final Supplier<OriginRouter> router;
  private final Storage storage;
  private final Clock clock;
  private final long startedAtMillis;
  private final String version;
  private final ZoneId zone;
  private final TrafficHistory history;
  private final BookTraffic books;
  private final RecentWarnings warnings;
  private final @Nullable Path historyFile;
  private final ScheduledExecutorService thread;
  private volatile Supplier<StatusSnapshot.@Nullable PrefetchView> prefetch = () -> null;

  /** Starts keeping the status of a gateway; its traffic counts from the meters' current totals. */
  public StatusBoard(GatewayConfig config, GatewayMetrics metrics, Supplier<OriginRouter> router, Storage storage,
      Clock clock, ZoneId zone, String version) {
    this.config = requireNonNull(config, "config");
    this.metrics = requireNonNull(metrics, "metrics");
    this.router = requireNonNull(router, "router");
    this.storage = requireNonNull(storage, "storage");
    this.clock = requireNonNull(clock, "clock");
    this.version = requireNonNull(version, "version");
    this.zone = requireNonNull(zone, "zone");
    this.startedAtMillis = clock.millis();
    this.history = new TrafficHistory(clock, zone, MeterTotals.read(metrics.registry()));
    this.books = new BookTraffic(clock, zone);
    this.warnings = RecentWarnings.attach(WARNINGS);
    this.historyFile = config.cache().disk().enabled() ? config.cache().disk().path().resolve(HISTORY_FILE) : null;
    if (historyFile != null && history.load(historyFile)) {
      log.debug("traffic history read from {}", historyFile);
    }
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gateway-status");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleAtFixedRate(this::sample, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
    if (historyFile != null) {
      thread.scheduleAtFixedRate(this::save, SAVE_MINUTES, SAVE_MINUTES, TimeUnit.MINUTES);
    }
  }

  /** Where the prefetch's state is read from, once a prefetch exists. */
  public void prefetch(Supplier<StatusSnapshot.@Nullable PrefetchView> source) {
    this.prefetch = requireNonNull(source, "source");
  }

  /** The per-book count that client requests add their body bytes to. */
  public BookTraffic books() {
    return books;
  }

  /** The traffic history (for tests and the JSON twin). */
  TrafficHistory history() {
    return history;
  }

  private void sample() {
    try {
      history.sample(MeterTotals.read(metrics.registry()));
    } catch (RuntimeException e) {
      log.warn("status: cannot sample the traffic: {}", e.toString()); // never kill the schedule
    }
  }

  private void save() {
    if (historyFile == null) {
      return;
    }
    try {
      history.save(historyFile);
    } catch (IOException | RuntimeException e) {
      log.warn("status: cannot save the traffic history to {}: {}", historyFile, e.toString());
    }
  }

  /** Everything the status page shows, now: the traffic is sampled first, so it is up to the moment. */
  public StatusSnapshot snapshot() {
    sample();
    List<StatusSnapshot.OriginView> origins = router.get().routes().stream().map(StatusBoard::origin).toList();
    StatusSnapshot.TierView memoryView = new StatusSnapshot.TierView(storage.memoryBytes(),
        config.cache().memory().maxBytes());
    long diskBytes = storage.diskBytes();
    StatusSnapshot.TierView diskView = diskBytes < 0 ? null
        : new StatusSnapshot.TierView(diskBytes, config.cache().disk().maxBytes());
    return new StatusSnapshot(version, config.school(), startedAtMillis, clock.millis(), origins, history.today(),
        history.lastSevenDays(), history.lastHours(24), memoryView, diskView, books.top(10), prefetch.get(),
        warnings.recent());
  }

  /**
   * The status page in the language asked for ({@code ?lang=}, else {@code Accept-Language}, else
   * French).
   */
  public String html(@Nullable String lang, @Nullable String acceptLanguage) {
    return StatusHtml.render(snapshot(), StatusText.of(lang, acceptLanguage), zone);
  }

  /**
   * The page a browser gets at {@code /} without the admin token: a form that posts the token to
   * {@code /login}.
   *
   * @param wrong whether a token was given and was wrong
   */
  public static String loginPage(@Nullable String lang, @Nullable String acceptLanguage, boolean wrong) {
    return StatusHtml.login(StatusText.of(lang, acceptLanguage), wrong);
  }

  /** The status page's figures as JSON. */
  public String json() {
    return StatusJson.render(snapshot());
  }

  private static StatusSnapshot.OriginView origin(OriginRoute route) {
    OriginHealth health = route.origin().health();
    List<StatusSnapshot.ParentView> parents = route.parents().stream()
        .map(p -> new StatusSnapshot.ParentView(p.url().toString(), p.health().up(), since(p.health())))
        .toList();
    return new StatusSnapshot.OriginView(route.name(), route.config().url().toString(), health.up(), since(health),
        parents);
  }

  private static long since(OriginHealth health) {
    return health.up() ? health.upSinceMillis() : health.downSinceMillis();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    sample();
    save();
    warnings.close();
  }
}
