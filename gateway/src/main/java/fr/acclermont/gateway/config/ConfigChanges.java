package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What differs between the running configuration and a reloaded one, sorted by whether a reload
 * can apply it: what the listeners, the stores and the meters were built with needs a restart;
 * log level, origins, caching rules, limits, timeouts, the access log's file, entitlement and the
 * HTTPS certificate's content are applied live. Prefetching is built once, at start-up, from its
 * section: a change of {@code prefetch} needs a restart (its fetches do follow the routes of the
 * configuration now). Each difference is named by its configuration key, as an operator wrote it.
 *
 * @param live the keys that changed and are applied live, in file order
 * @param restartOnly the keys that changed and need a restart, in file order
 */
public record ConfigChanges(List<String> live, List<String> restartOnly) {

  public ConfigChanges {
    live = List.copyOf(requireNonNull(live, "live"));
    restartOnly = List.copyOf(requireNonNull(restartOnly, "restartOnly"));
  }

  /** Compares two configurations. */
  public static ConfigChanges between(GatewayConfig running, GatewayConfig next) {
    Sorter changes = new Sorter();
    changes.restartOnly("school", running.school(), next.school());
    changes.live("log-level", running.logLevel(), next.logLevel());
    server(changes, running.server(), next.server());
    changes.restartOnly("admin", running.admin(), next.admin());
    changes.live("origins", running.origins(), next.origins());
    cache(changes, running.cache(), next.cache());
    changes.live("limits", running.limits(), next.limits());
    changes.live("timeouts", running.timeouts(), next.timeouts());
    accessLog(changes, running.accessLog(), next.accessLog());
    changes.live("entitlement", running.entitlement(), next.entitlement());
    // Restart-only until the prefetch can take a new configuration (ConfigReloader.Parts#prefetch is
    // a no-op): applied live, a reload would say "applied prefetch" and change nothing.
    changes.restartOnly("prefetch", running.prefetch(), next.prefetch());
    return new ConfigChanges(changes.live, changes.restartOnly);
  }

  /** Whether nothing differs. */
  public boolean none() {
    return live.isEmpty() && restartOnly.isEmpty();
  }

  private static void server(Sorter changes, ServerConfig running, ServerConfig next) {
    changes.restartOnly("server.host", running.host(), next.host());
    changes.restartOnly("server.port", running.port(), next.port());
    changes.restartOnly("server.via", running.via(), next.via());
    changes.restartOnly("server.io-threads", running.ioThreads(), next.ioThreads());
    ServerTlsConfig before = running.tls();
    ServerTlsConfig after = next.tls();
    if (before == null || after == null) {
      changes.restartOnly("server.tls", before, after);
    } else {
      changes.restartOnly("server.tls.port", before.port(), after.port());
      changes.restartOnly("server.tls.cert-file", before.certFile(), after.certFile());
      changes.restartOnly("server.tls.key-file", before.keyFile(), after.keyFile());
      changes.restartOnly("server.tls.reload-interval", before.reloadInterval(), after.reloadInterval());
      // The files' content: the listener reads them again on a reload, as on its interval.
      changes.live("server.tls (certificate and key files' content)", before.pair(), after.pair());
    }
    changes.restartOnly("server.redirect-to-https", running.redirectToHttps(), next.redirectToHttps());
    changes.restartOnly("server.http2", running.http2(), next.http2());
  }

  private static void cache(Sorter changes, CacheConfig running, CacheConfig next) {
    changes.restartOnly("cache.name", running.name(), next.name());
    changes.restartOnly("cache.memory", running.memory(), next.memory());
    changes.restartOnly("cache.disk", running.disk(), next.disk());
    changes.restartOnly("cache.slice-size", running.sliceSize(), next.sliceSize());
    changes.live("cache.read-ahead-slices", running.readAheadSlices(), next.readAheadSlices());
    changes.restartOnly("cache.finish-unwatched-fetches", running.finishUnwatchedFetches(),
        next.finishUnwatchedFetches());
    changes.live("cache.heuristic-max-lifetime", running.heuristicMaxLifetime(), next.heuristicMaxLifetime());
    changes.live("cache.max-stale-on-error", running.maxStaleOnError(), next.maxStaleOnError());
    changes.live("cache.reload-revalidate-interval", running.reloadRevalidateInterval(),
        next.reloadRevalidateInterval());
    changes.restartOnly("cache.max-variants", running.maxVariants(), next.maxVariants());
    changes.restartOnly("cache.min-uses", running.minUses(), next.minUses());
    changes.live("cache.targeted-cache-control", running.targetedCacheControl(), next.targetedCacheControl());
    changes.live("cache.overrides", running.overrides(), next.overrides());
  }

  /** The file may move; turning the log on, off, or between standard output and a file needs a restart. */
  private static void accessLog(Sorter changes, AccessLogConfig running, AccessLogConfig next) {
    if (running.destination() != next.destination()) {
      changes.restartOnly("access-log.path", running.destination(), next.destination());
    } else {
      changes.live("access-log.path", running.file(), next.file());
    }
  }

  /** Collects the keys whose values differ, in the order asked. */
  private static final class Sorter {
    private final List<String> live = new ArrayList<>();
    private final List<String> restartOnly = new ArrayList<>();

    void live(String key, Object running, Object next) {
      if (!Objects.equals(running, next)) {
        live.add(key);
      }
    }

    void restartOnly(String key, Object running, Object next) {
      if (!Objects.equals(running, next)) {
        restartOnly.add(key);
      }
    }
  }
}
