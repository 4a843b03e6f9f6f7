package fr.acclermont.gateway.reload;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.AccessLogConfig;
import fr.acclermont.gateway.config.ConfigChanges;
import fr.acclermont.gateway.config.ConfigCheck;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.metrics.ReloadMeters;
import fr.acclermont.gateway.metrics.ReloadMeters.Result;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import fr.acclermont.gateway.origin.RouteChanges;
import fr.acclermont.gateway.server.AccessLog;
import fr.acclermont.gateway.server.GatewayServices;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file without a restart (SIGHUP, {@code POST /reload}): reads it, checks
 * it as start-up would, and applies what can change live ({@link ConfigChanges}); a file that is
 * invalid, or that changes something only a restart applies, is refused with one log line naming
 * why, and the running configuration stays. Open connections, downloads under way and the cache
 * are kept: what starts after the reload reads the new configuration (a connection keeps the limits
 * and client timeouts it started with; its next request is routed by the new origins).
 *
 * <p>Reloads run one at a time on a thread of their own ({@link #reload} returns at once): reading
 * the file and building an https origin's TLS context must not block an event loop or a signal.
 */
public final class ConfigReloader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

  /** What is applied besides the data path's settings, each by its own part of the gateway. */
  public interface Parts {
    /** The access log: reopened at its path on every reload, moved when the path changed. */
    AccessLog accessLog();

    /** Prefetching takes its new configuration (and the new routes). */
    void prefetch(GatewayConfig next);

    /** The HTTPS listener reads its certificate and key files again (a no-op without HTTPS). */
    void reloadTls();

    /** Sets the log level of the new configuration. */
    void logLevel(GatewayConfig next);
  }

  private final @Nullable Path file;
  private final Supplier<GatewayConfig> source;
  private final GatewayServices services;
  private final OriginClient originClient;
  private final EventLoopGroup group;
  private final GatewayMetrics metrics;
  private final ReloadMeters meters;
  private final Parts parts;
  private final ExecutorService thread;
  /** Routes taken out of service by reloads: their limiters are closed with the gateway. */
  private final List<OriginRoute> retired = new ArrayList<>();

  /**
   * @param file the configuration file, or null for a gateway started without one (tests, the
   *     demo): every reload is then refused
   */
  public ConfigReloader(@Nullable Path file, Map<String, String> env, GatewayServices services,
      OriginClient originClient, EventLoopGroup group, GatewayMetrics metrics, Parts parts) {
    this(file, file == null ? () -> {
      throw new ConfigException("started without a configuration file: nothing to reload");
    } : () -> checked(file, env), services, originClient, group, metrics, parts);
  }

  /**
   * The file read and checked as {@code check} does: every error, each with its {@code FILE:LINE},
   * in the one exception's message.
   */
  private static GatewayConfig checked(Path file, Map<String, String> env) {
    ConfigCheck check = ConfigLoader.check(file, env);
    GatewayConfig config = check.config();
    if (!check.errors().isEmpty() || config == null) {
      throw new ConfigException(String.join("; ", check.errors()));
    }
    return config;
  }

  ConfigReloader(@Nullable Path file, Supplier<GatewayConfig> source, GatewayServices services,
      OriginClient originClient, EventLoopGroup group, GatewayMetrics metrics, Parts parts) {
    this.file = file;
    this.source = requireNonNull(source, "source");
    this.services = requireNonNull(services, "services");
    this.originClient = requireNonNull(originClient, "originClient");
    this.group = requireNonNull(group, "group");
    this.metrics = requireNonNull(metrics, "metrics");
    this.parts = requireNonNull(parts, "parts");
    this.meters = new ReloadMeters(metrics.registry(), services.clock().millis());
    ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "gateway-reload");
          t.setDaemon(true);
          return t;
        });
    this.thread = executor;
  }

  /** Reloads on the reload thread, after those asked before; completes with the outcome. */
  public CompletableFuture<ReloadOutcome> reload() {
    return CompletableFuture.supplyAsync(this::reloadNow, thread);
  }

  private ReloadOutcome reloadNow() {
    ReloadOutcome outcome;
    try {
      outcome = apply(source.get());
    } catch (ConfigException e) {
      outcome = new ReloadOutcome(Result.INVALID, "configuration error: " + e.getMessage());
    } catch (RuntimeException e) {
      log.warn("reload failed", e);
      outcome = new ReloadOutcome(Result.INVALID, "cannot apply: " + e);
    }
    String from = file == null ? "" : " (" + file + ")";
    if (outcome.refused()) {
      log.warn("reload refused{}, running configuration kept: {}", from, outcome.message());
    } else {
      log.info("reload{}: {}", from, outcome.message());
    }
    meters.reloaded(outcome.result(), services.clock().millis());
    return outcome;
  }

  /** Applies {@code next} if it changes only what can change live. */
  private ReloadOutcome apply(GatewayConfig next) {
    GatewayConfig running = services.config();
    ConfigChanges changes = ConfigChanges.between(running, next);
    if (!changes.restartOnly().isEmpty()) {
      return new ReloadOutcome(Result.RESTART_REQUIRED,
          String.join(", ", changes.restartOnly()) + " changed: only a restart applies "
              + (changes.restartOnly().size() == 1 ? "it" : "them"));
    }
    AccessLogConfig accessLog = next.accessLog();
    boolean moveLog = changes.live().contains("access-log.path");
    if (moveLog) {
      AccessLog.checkOpens(accessLog); // throws ConfigException naming access-log.path
    }
    RouteChanges routes = RouteChanges.plan(services.router(), next.origins(),
        origin -> new OriginRoute(origin, originClient));
    OriginRouter router = routes.apply();
    services.reconfigure(next, router);
    for (OriginRoute route : routes.retired()) {
      route.retire();
      metrics.removeOrigin(route.name());
      synchronized (retired) {
        retired.add(route);
      }
    }
    for (OriginRoute route : routes.added()) {
      route.serve(originClient, group, services.via(), metrics);
    }
    parts.prefetch(next);
    parts.logLevel(next);
    if (moveLog) {
      parts.accessLog().moveTo(requireNonNull(accessLog.file()));
    } else {
      parts.accessLog().reopen();
    }
    parts.reloadTls();
    if (changes.live().isEmpty()) {
      return new ReloadOutcome(Result.UNCHANGED, "nothing changed; log files reopened, certificates read again");
    }
    return new ReloadOutcome(Result.APPLIED, "applied " + String.join(", ", changes.live())
        + (routes.added().isEmpty() ? "" : "; new routes for " + names(routes.added()))
        + (routes.retired().isEmpty() ? "" : "; retired " + names(routes.retired())));
  }

  private static String names(List<OriginRoute> routes) {
    return String.join(", ", routes.stream().map(OriginRoute::name).toList());
  }

  /** The routes reloads took out of service, for the gateway's stop. */
  public List<OriginRoute> retired() {
    synchronized (retired) {
      return List.copyOf(retired);
    }
  }

  /** Stops the reload thread; a reload under way finishes. */
  @Override
  public void close() {
    thread.shutdown();
  }
}
