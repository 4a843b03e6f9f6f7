package fr.acclermont.gateway;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.admin.AdminServer;
import fr.acclermont.gateway.admin.Readiness;
import fr.acclermont.gateway.cache.DiskTier;
import fr.acclermont.gateway.cache.MemoryTier;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.config.DiskConfig;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.http.Transport;
import fr.acclermont.gateway.metrics.CacheTier;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import fr.acclermont.gateway.origin.OriginTls;
import fr.acclermont.gateway.prefetch.PrefetchStatus;
import fr.acclermont.gateway.prefetch.Prefetcher;
import fr.acclermont.gateway.reload.ConfigReloader;
import fr.acclermont.gateway.reload.ReloadOutcome;
import fr.acclermont.gateway.server.AccessLog;
import fr.acclermont.gateway.server.EdgeServer;
import fr.acclermont.gateway.server.GatewayServices;
import fr.acclermont.gateway.server.Purges;
import fr.acclermont.gateway.status.StatusBoard;
import fr.acclermont.gateway.status.StatusSnapshot;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.internal.PlatformDependent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the event loops, the store, the origin client, the client-facing listener
 * and the management port, started and stopped together.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  /** The memory tier may use this share of the JVM's direct memory; the rest is for I/O buffers. */
  static final double MEMORY_TIER_SHARE_OF_DIRECT = 0.75;

  private final GatewayServices services;
  private final EventLoopGroup group;
  private final MemoryTier memory;
  private final @Nullable DiskTier disk;
  private final GatewayMetrics metrics;
  private final EdgeServer edge;
  private final AdminServer admin;
  private final Purges purges;
  private final StatusBoard status;
  private final Prefetcher prefetcher;
  private final AccessLog accessLog;
  private final ConfigReloader reloader;

  private Gateway(GatewayServices services, EventLoopGroup group, MemoryTier memory, @Nullable DiskTier disk,
      GatewayMetrics metrics, EdgeServer edge, AdminServer admin, Purges purges,
      StatusBoard status, Prefetcher prefetcher, AccessLog accessLog, ConfigReloader reloader) {
    this.status = status;
    this.services = services;
    this.group = group;
    this.memory = memory;
    this.disk = disk;
    this.metrics = metrics;
    this.edge = edge;
    this.admin = admin;
    this.purges = purges;
    this.prefetcher = prefetcher;
    this.accessLog = accessLog;
    this.reloader = reloader;
  }

  /** Starts a gateway with the system clock, without a file to reload. */
  public static Gateway start(GatewayConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts a gateway without a file to reload ({@link #reload} refuses). */
  public static Gateway start(GatewayConfig config, Clock clock) {
    return start(config, clock, null, Map.of());
  }

  /**
   * Starts a gateway.
   *
   * @throws ConfigException when the configuration cannot work on this JVM (memory tier too large), or
   *     the access log's file cannot be opened
   * @param file the file {@code config} was read from, which {@link #reload} reads again; null
   *     when there is none
   * @param env the environment the file's placeholders are read from
   * @throws IllegalStateException when a port cannot be bound
   */
  public static Gateway start(GatewayConfig config, Clock clock, @Nullable Path file, Map<String, String> env) {
    requireNonNull(config, "config");
    LogLevels.apply(config.logLevel());
    checkDirectMemory(config.cache().memory().maxBytes(), PlatformDependent.maxDirectMemory());
    Transport transport = Transport.best();
    ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    GatewayMetrics metrics = new GatewayMetrics(Version.current(), config.school());
    metrics.bindAllocator(allocator);
    // Routes first: an https origin's TLS context is built here, and nothing needs closing yet if
    // that fails.
    OriginClient originClient = new OriginClient(transport, allocator, metrics,
        config.timeouts().requestBodyMinRate(), config.timeouts().requestBodyRateWindow());
    List<OriginRoute> routes = config.origins().stream().map(o -> new OriginRoute(o, originClient)).toList();
    if (routes.stream().anyMatch(r -> r.config().usesTls())) {
      log.info("TLS to https origins and parents through the {}", OriginTls.engineDescription());
    }
    AccessLog accessLog = AccessLog.open(config.accessLog(), metrics::accessLogDropped);
    MemoryTier memory = new MemoryTier(config.cache().memory().maxBytes(), config.cache().memory().maxObjectBytes(),
        ForkJoinPool.commonPool(), () -> metrics.evicted(CacheTier.MEMORY));
    metrics.registerTier(CacheTier.MEMORY, memory, MemoryTier::weightedBytes, config.cache().memory().maxBytes());
    metrics.bindCache(CacheTier.MEMORY, memory.meteredCache());
    DiskTier disk;
    try {
      disk = openDisk(config, metrics);
    } catch (RuntimeException e) {
      accessLog.close();
      throw e;
    }
    OriginRouter router = new OriginRouter(routes);
    EventLoopGroup group = transport.newGroup(config.server().ioThreads(), "gateway-io");
    try {
      Storage storage = new Storage(memory, disk, allocator);
      GatewayServices services = new GatewayServices(config, router, originClient, storage, metrics, accessLog, clock);
      for (OriginRoute route : routes) {
        // Probes of a down origin go through the normal client, on one loop per origin.
        route.serve(originClient, group, services.via(), metrics);
      }
      EdgeServer edge = EdgeServer.start(services, transport, group, allocator);
      Purges purges = new Purges(services); // no thread until a purge comes
      StatusBoard status = new StatusBoard(config, metrics, services::router, storage, clock, ZoneId.systemDefault(),
          Version.current());
      services.bookTraffic(status.books());
      // Lists are read as purges read a URL: keyed as a client's GET of it would be.
      Prefetcher prefetcher = new Prefetcher(services, purges::urlKey, group.next()); // no thread without lists
      // Shown while prefetching is configured: a reload may turn it on or off.
      status.prefetch(() -> services.config().prefetch().lists().isEmpty() ? null : prefetchView(prefetcher.status()));
      ConfigReloader reloader = new ConfigReloader(file, env, services, originClient, group, metrics,
          new ReloadParts(accessLog, prefetcher, edge));
      AdminServer admin;
      try {
        admin = AdminServer.start(config.admin(), transport, group, metrics, () -> readiness(edge, disk), purges,
            prefetcher, status, reloader::reload);
      } catch (RuntimeException e) {
        reloader.close();
        prefetcher.close();
        status.close();
        throw e;
      }
      String https = edge.tlsPort() < 0 ? "" : ", https on " + config.server().host() + ":" + edge.tlsPort()
          + (config.server().redirectToHttps() ? " (http redirects GET and HEAD to it)" : "");
      String adminToken = config.admin().token() == null ? ""
          : config.admin().metricsRequireToken() ? " (token required except on /healthz, /readyz)"
          : " (token required except on /healthz, /readyz, /metrics)";
      log.info("gateway listening on {}:{} ({}){}, admin on {}:{}{}, origins {}", config.server().host(), edge.port(),
          transport.name().toLowerCase(java.util.Locale.ROOT), https, config.admin().host(), admin.port(), adminToken,
          routes);
      return new Gateway(services, group, memory, disk, metrics, edge, admin, purges, status, prefetcher,
          accessLog, reloader);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      memory.close();
      if (disk != null) {
        disk.close();
      }
      accessLog.close();
      throw e;
    }
  }

  /** What a reload applies outside the data path's settings. */
  private record ReloadParts(AccessLog accessLog, Prefetcher prefetcher, EdgeServer edge)
      implements ConfigReloader.Parts {
    @Override
    public void prefetch(GatewayConfig next) {
      prefetcher.reconfigure(next.prefetch());
    }

    @Override
    public void reloadTls() {
      edge.reloadTls();
    }

    @Override
    public void logLevel(GatewayConfig next) {
      LogLevels.apply(next.logLevel());
    }
  }

  /** The prefetch's state as the status page shows it. */
  private static StatusSnapshot.PrefetchView prefetchView(PrefetchStatus p) {
    return new StatusSnapshot.PrefetchView(p.state().tag(), p.objectsDone(), p.objectsTotal(), p.bytes(), p.current(),
        p.lastError(), p.nextWindow() == null ? 0 : p.nextWindow().toEpochMilli(),
        p.lastCompleted() == null ? 0 : p.lastCompleted().toEpochMilli());
  }

  /** Ready once listening; the disk index may still be loading (the gateway serves meanwhile). */
  private static Readiness readiness(EdgeServer edge, @Nullable DiskTier disk) {
    String detail = disk == null ? "" : disk.loaded() ? "disk index loaded"
        : "disk index loading, serving from memory and the origin meanwhile";
    return new Readiness(edge.isListening(), detail);
  }

  /** The disk tier if configured; an unusable directory stops start-up with one line. */
  private static @Nullable DiskTier openDisk(GatewayConfig config, GatewayMetrics metrics) {
    DiskConfig settings = config.cache().disk();
    if (!settings.enabled()) {
      return null;
    }
    DiskTier disk;
    try {
      disk = DiskTier.open(settings.path(), settings.maxBytes(), () -> metrics.evicted(CacheTier.DISK));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    metrics.registerTier(CacheTier.DISK, disk, DiskTier::weightedBytes, settings.maxBytes());
    metrics.bindCache(CacheTier.DISK, disk.meteredCache());
    metrics.registerDisk(disk, DiskTier::removedAtLoad, DiskTier::corruptReads, DiskTier::writeErrors,
        d -> d.writesFailing() ? 1 : 0, d -> d.loaded() ? 1 : 0, d -> d.loadMillis() / 1000.0);
    metrics.registerDiskSkips(disk, DiskTier::skippedWrites);
    return disk;
  }

  /** Refuses a memory tier the JVM could not hold beside its I/O buffers. */
  static void checkDirectMemory(long maxBytes, long maxDirect) {
    if (maxBytes > maxDirect * MEMORY_TIER_SHARE_OF_DIRECT) {
      throw new ConfigException("cache.memory.max-bytes: " + maxBytes + " bytes is more than "
          + (int) (MEMORY_TIER_SHARE_OF_DIRECT * 100) + "% of the JVM's maximum direct memory (" + maxDirect
          + " bytes); raise -XX:MaxDirectMemorySize or lower cache.memory.max-bytes");
    }
  }

  /** The client-facing plain HTTP port; -1 with {@code server.port: off}. */
  public int port() {
    return edge.port();
  }

  /** The client-facing HTTPS port, or -1 without {@code server.tls}. */
  public int tlsPort() {
    return edge.tlsPort();
  }

  /**
   * Checks the HTTPS certificate and key files for a change now, rather than at the next
   * {@code server.tls.reload-interval}; returns at once. Does nothing without {@code server.tls}.
   */
  public void reloadTls() {
    edge.reloadTls();
  }

  /**
   * Reopens the log files (the access log's, {@code access-log.path}) at their paths, so that
   * logrotate may rename them: SIGUSR1 calls it, and so will a reload. Returns at once; the access
   * log's writer reopens between two lines. Does nothing for standard output or with the log off.
   */
  public void reopenLogs() {
    accessLog.reopen();
  }

  /**
   * Reads the configuration file again and applies it if only what may change live changed
   * ({@link ConfigReloader}); SIGHUP and {@code POST /reload} call it. Returns at once; completes
   * with the outcome, also logged in one line. Refused without a file.
   */
  public CompletableFuture<ReloadOutcome> reload() {
    return reloader.reload();
  }

  /** The certificate new HTTPS handshakes present, or null without {@code server.tls}. */
  public java.security.cert.@Nullable X509Certificate tlsCertificate() {
    return edge.tlsCertificate();
  }

  /**
   * The response bytes queued in the client connections' outbound buffers, not yet taken by the
   * socket, per open connection: what slow readers hold (diagnostics and tests).
   */
  public List<Long> clientPendingBytes() {
    return edge.pendingBytes();
  }

  /** The management port. */
  public int adminPort() {
    return admin.port();
  }

  /** Prefetching: its status, "prefetch now". */
  public Prefetcher prefetcher() {
    return prefetcher;
  }

  /** The meters. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The configured origins, and the router that chooses among them by path (the last reload's). */
  public OriginRouter router() {
    return services.router();
  }

  /** The memory tier. */
  public MemoryTier memory() {
    return memory;
  }

  /** The configuration it runs with: the last one reloaded. */
  public GatewayConfig config() {
    return services.config();
  }

  /**
   * Stops gracefully: no new connections, in-flight responses get {@code timeouts.shutdown} to
   * finish, then everything is released.
   */
  @Override
  public void close() {
    reloader.close();
    prefetcher.close(); // first: no prefetch fetch starts while the clients' responses finish
    edge.stop(services.config().timeouts().shutdown());
    admin.close();
    purges.close();
    services.router().routes().forEach(r -> {
      r.close(); // probes and idle connections, before the loops stop
      r.limiter().close(); // slice fetches still queued never start; their slices are released
    });
    reloader.retired().forEach(r -> r.limiter().close()); // health and pool closed when retired
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    accessLog.close(); // after the loops: the last requests' lines are queued by now
    status.close(); // after the loops too: the last requests are in the history it saves
    memory.close();
    if (disk != null) {
      disk.close();
    }
    log.info("gateway stopped");
  }
}
