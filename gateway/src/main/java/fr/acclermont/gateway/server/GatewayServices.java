package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheRules;
import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.MinUses;
import fr.acclermont.gateway.cache.Variants;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.BackgroundFetches;
import fr.acclermont.gateway.origin.Fetches;
import fr.acclermont.gateway.origin.SliceFetcher;
import fr.acclermont.gateway.cache.PassMemory;
import fr.acclermont.gateway.cache.Storage;
import io.netty.handler.codec.http.HttpHeaders;
import fr.acclermont.gateway.security.Entitlements;
import fr.acclermont.gateway.status.BookTraffic;
import org.jspecify.annotations.Nullable;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRouter;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every client connection's handler shares: configuration, routing, the origin client, the
 * store, metrics and the clock. Thread-safe: each part is.
 */
public final class GatewayServices implements StoreEffects {

  /** The reloadable part, swapped whole by {@link #reconfigure}. */
  private volatile LiveSettings live;
  private final OriginClient originClient;
  private final Storage storage;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final CacheStatus cacheStatus;
  private final String via;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final SliceFetcher fetcher;
  private final Variants variants;
  private final MinUses minUses;
  private final PassMemory passes = new PassMemory(com.github.benmanes.caffeine.cache.Ticker.systemTicker());
  private final AccessLog accessLog;
  private final StoreReading storeReading;
  private final Forwarding forwarding;
  /** Where each request's body bytes are counted per book, for the status page; null until set. */
  private volatile @Nullable BookTraffic bookTraffic;

  /** Bundles the services. */
  public GatewayServices(GatewayConfig config, OriginRouter router, OriginClient originClient, Storage storage,
      GatewayMetrics metrics, AccessLog accessLog, Clock clock) {
    requireNonNull(config, "config");
    requireNonNull(router, "router");
    this.originClient = requireNonNull(originClient, "originClient");
    this.storage = requireNonNull(storage, "storage");
    this.metrics = requireNonNull(metrics, "metrics");
    this.clock = requireNonNull(clock, "clock");
    this.accessLog = requireNonNull(accessLog, "accessLog");
    this.cacheStatus = new CacheStatus(config.cache().name());
    this.via = "1.1 " + config.server().via();
    this.variants = new Variants(config.cache().maxVariants());
    this.minUses = new MinUses(config.cache().minUses(), com.github.benmanes.caffeine.cache.Ticker.systemTicker());
    metrics.registerVariants(variants, Variants::refused);
    metrics.registerMinUses(minUses, MinUses::passed);
    storage.afterLoad(variants::learn); // after a restart, what each stored URL varies on
    this.live = settings(config, router, Entitlements.of(config.entitlement(), router, originClient, metrics, clock));
    this.fetcher = new SliceFetcher(originClient, storage, passes, clock,
        (int) config.cache().sliceSize(), config.cache().finishUnwatchedFetches(), this::rules, variants);
    this.storeReading = new StoreReading(storage, fetcher, cacheStatus, clock,
        () -> config().cache().readAheadSlices());
    this.forwarding = new Forwarding(originClient, cacheStatus, clock, () -> config().limits().maxBodyBytes(), this);
  }

  /** The guard routes with the router now: a connection keeps its guard (its limits) across reloads. */
  private LiveSettings settings(GatewayConfig config, OriginRouter router, Entitlements entitlements) {
    return new LiveSettings(config, router, CacheRules.of(config.cache()), entitlements,
        new RequestGuard(config.limits(), this::router, config.server().via()));
  }

  /**
   * Applies a reloaded configuration (checked by the caller: only what may change live differs):
   * requests, connections and fetches that start from now on read {@code next} and route with
   * {@code router}; those under way finish with what they started with. The entitlement rules are
   * kept, with the answers they hold, unless their configuration or an auth-forward origin changed.
   */
  public void reconfigure(GatewayConfig next, OriginRouter router) {
    requireNonNull(next, "next");
    requireNonNull(router, "router");
    LiveSettings running = live;
    Entitlements entitlements = next.entitlement().equals(running.config().entitlement())
        && sameAuthForwardRoutes(next, running.router(), router)
        ? running.entitlements() : Entitlements.of(next.entitlement(), router, originClient, metrics, clock);
    originClient.bodyRate(next.timeouts().requestBodyMinRate(), next.timeouts().requestBodyRateWindow());
    live = settings(next, router, entitlements);
  }

  /** Whether every auth-forward rule's origin is the same route (not one built anew) in both routers. */
  private static boolean sameAuthForwardRoutes(GatewayConfig next, OriginRouter before, OriginRouter after) {
    return next.entitlement().stream()
        .filter(rule -> rule.authForward() != null)
        .map(rule -> rule.authForward().origin())
        .allMatch(name -> before.named(name) == after.named(name));
  }

  /** What a request head must satisfy, and where it goes, under the configuration now. */
  public RequestGuard requestGuard() {
    return live.guard();
  }

  /** Counts each finished request's body bytes per book from now on (the status page's top 10). */
  public void bookTraffic(BookTraffic books) {
    this.bookTraffic = requireNonNull(books, "books");
  }

  /** Where requests count their body bytes per book, or null. */
  @Nullable BookTraffic bookTraffic() {
    return bookTraffic;
  }

  /** The entitlement rules: which requests are checked, and how. */
  public Entitlements entitlements() {
    return live.entitlements();
  }

  /** The configuration now: the last one reloaded. */
  public GatewayConfig config() {
    return live.config();
  }

  /** Chooses origins by path. */
  @Override
  public OriginRouter router() {
    return live.router();
  }

  /** Sends requests to origins. */
  public OriginClient originClient() {
    return originClient;
  }

  /** What the gateway holds: the only way to the memory and disk tiers. */
  public Storage storage() {
    return storage;
  }

  /**
   * The fetch side, as clients use it: the object heads awaited from origins, which concurrent
   * misses of the same object join, their probes, and the runs readers claim.
   */
  public Fetches fetches() {
    return fetcher;
  }

  /**
   * Removes a URL's stored objects from every tier, every variant of it included (an unsafe method
   * succeeded on it, or named it): RFC 9111 4.4.
   */
  @Override
  public void invalidate(CacheKey key) {
    CacheKey url = key.primary();
    remove(url);
    if (!key.equals(url)) {
      remove(key);
    }
    variants.forget(url).forEach(this::remove);
  }

  private void remove(CacheKey key) {
    storage.invalidate(key);
    passes.forget(key);
  }

  /**
   * A 200 to a HEAD passed through to the origin: the stored GET response of its key, if any, is
   * refreshed with its fields, or considered stale when they describe another representation (RFC
   * 9111 4.3.5, {@link CacheRules#afterHead}), in memory and on disk.
   */
  @Override
  public void headAnswered(CacheKey key, HttpHeaders requestHeaders, HttpHeaders head, long requestTimeMillis,
      long responseTimeMillis) {
    CacheRules rules = rules();
    storage.refresh(key, stored -> rules.afterHead(stored, requestHeaders, head, requestTimeMillis, responseTimeMillis));
  }

  /** The requests counted per URL before its body is stored ({@code cache.min-uses}). */
  public MinUses minUses() {
    return minUses;
  }

  /** What URLs vary on: the key a request is looked up under. */
  public Variants variants() {
    return variants;
  }

  /** The operator's caching choices (heuristic freshness, offline window, reloads). */
  public CacheRules rules() {
    return live.rules();
  }

  /**
   * Whether {@code route}'s origin, or one of its parents, is believed reachable (an offline school
   * serves stale at once).
   */
  public boolean originUp(fr.acclermont.gateway.origin.OriginRoute route) {
    return route.reachable();
  }

  /** The objects recently found unshareable, which pass through without a probe. */
  public PassMemory passes() {
    return passes;
  }

  /** The fetch side, as the prefetch uses it: probes and runs in background places only. */
  public BackgroundFetches backgroundFetches() {
    return fetcher;
  }

  /** What the responders that answer from the store use. */
  StoreReading storeReading() {
    return storeReading;
  }

  /** What a pass-through uses. */
  Forwarding forwarding() {
    return forwarding;
  }

  /** The meters. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The access log: one line per client request. */
  public AccessLog accessLog() {
    return accessLog;
  }

  /** The wall clock for HTTP dates and ages. */
  public Clock clock() {
    return clock;
  }

  /** Builds {@code Cache-Status} values. */
  public CacheStatus cacheStatus() {
    return cacheStatus;
  }

  /** This gateway's {@code Via} entry, e.g. {@code 1.1 textbook-gateway}. */
  public String via() {
    return via;
  }

  /** Whether the gateway is shutting down: responses close their connections. */
  public boolean draining() {
    return draining.get();
  }

  /** Starts draining (SIGTERM). */
  public void startDraining() {
    draining.set(true);
  }
}
