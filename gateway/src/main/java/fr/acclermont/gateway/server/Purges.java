package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.security.Entitlements;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Purges on an operator's demand (the management port's {@code POST /purge}): every stored variant
 * of one URL, or every stored object whose path starts with a prefix, dropped from memory and from
 * disk (files deleted, index updated), with what the URL was learnt to vary on and the memory of
 * unshareable answers ({@link fr.acclermont.gateway.cache.PassMemory}), as an unsafe method's
 * invalidation drops them ({@link GatewayServices#invalidate}). Unlike that invalidation, which
 * drops the variants looked up so far, a purge scans the tiers: a variant whose URL
 * {@link fr.acclermont.gateway.cache.Variants} forgot (it is bounded) goes too.
 *
 * <p>A URL is read as a client's request target is ({@link RequestGuard}: an origin-form path with
 * its query, or an absolute URL whose authority is a configured origin's, routed by the longest
 * path prefix) and keyed as that request would be (an entitlement rule's {@code cacheTarget}: a
 * signed link's signature is not part of the key). A prefix is matched against the raw path and
 * query of every stored object, whatever its origin: routing sends a path to one origin only, so
 * this is every origin whose paths the prefix falls under.
 *
 * <p>Threading: the caller (an event loop) only starts a purge. The memory tier is scanned on a
 * thread of purges, the disk tier on its writer ({@link fr.acclermont.gateway.cache.Storage#purge}), and the future
 * completes on one of them once the files are deleted. Order: memory, then disk, then the copies a
 * request promoted from disk to memory meanwhile (the same objects) are removed from memory again.
 *
 * <p>What is dropped is what is stored when the purge runs. A fetch in flight is left alone: a
 * client already receiving a purged object gets the rest of it (its remaining slices are not
 * stored on disk, their object being gone), and an answer whose head arrives after the purge is
 * stored like any new answer from the origin, which sent it at about the time of the purge: it is
 * not the purged copy. Purge after publishing at the origin, never before.
 *
 * <p>Thread-safe.
 */
public final class Purges implements AutoCloseable {

  /**
   * What a purge dropped.
   *
   * @param objects the stored objects dropped, each variant of a URL one, counted once whether it
   *     was in memory, on disk or both
   * @param bytes the sum of their body lengths, however much of each was held
   */
  public record Dropped(long objects, long bytes) {
  }

  /** A {@code url=} or {@code prefix=} that cannot be purged; the message says why, for a 400. */
  public static final class RefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  private final GatewayServices services;
  /** One thread, started when a purge comes and gone a minute after the last. */
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), task -> {
        Thread thread = new Thread(task, "gateway-purge");
        thread.setDaemon(true);
        return thread;
      });

  /** Purges the tiers of {@code services}. */
  public Purges(GatewayServices services) {
    this.services = requireNonNull(services, "services");
    services.metrics().registerPurges();
  }

  /**
   * The key of {@code url} without a variant, as a client's GET for it would be keyed.
   *
   * @param url a path with an optional query ({@code /books/maths-6e/manifest.json}), or an absolute
   *     URL whose authority is a configured origin's
   * @throws RefusedException if it is not such a target, or no configured origin serves its path
   */
  public CacheKey urlKey(String url) {
    requireNonNull(url, "url");
    String unusable = unusable(url);
    if (unusable != null) {
      throw new RefusedException("url: " + unusable);
    }
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, url);
    request.headers().set(HttpHeaderNames.HOST, "purge");
    RequestGuard.Verdict verdict = services.requestGuard().check(request);
    if (verdict instanceof RequestGuard.Rejected rejected) {
      throw new RefusedException("url: " + (rejected.status().equals(HttpResponseStatus.FORBIDDEN)
          ? "its host is not the host of a configured origin"
          : rejected.status().equals(HttpResponseStatus.NOT_FOUND) ? "no configured origin serves its path"
          : rejected.reason()));
    }
    RequestGuard.Accepted accepted = (RequestGuard.Accepted) verdict;
    OriginRoute route = accepted.route();
    Entitlements.Guard entitled = services.entitlements().guard(route.name(), accepted.pathAndQuery());
    String target = entitled == null ? accepted.pathAndQuery() : entitled.rule().cacheTarget(accepted.pathAndQuery());
    return new CacheKey(route.name(), target);
  }

  /**
   * Checks a prefix: a path from its first {@code /}, which some configured origin's paths fall
   * under (a route's prefix starts with it, or it starts with a route's prefix).
   *
   * @throws RefusedException otherwise
   */
  public void checkPrefix(String prefix) {
    requireNonNull(prefix, "prefix");
    if (!prefix.startsWith("/")) {
      throw new RefusedException("prefix: must be a path, starting with /");
    }
    String unusable = unusable(prefix);
    if (unusable != null) {
      throw new RefusedException("prefix: " + unusable);
    }
    for (OriginRoute route : services.router().routes()) {
      for (String path : route.config().paths()) {
        if (path.startsWith(prefix) || prefix.startsWith(path)) {
          return;
        }
      }
    }
    throw new RefusedException("prefix: no configured origin serves paths under it");
  }

  /** Why {@code target} cannot be a request target as a client sends it, or null when it can. */
  private static @Nullable String unusable(String target) {
    if (target.isEmpty()) {
      return "empty";
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return "a character a request target cannot hold (a space, a control or a non-ASCII character):"
            + " percent-encode it as clients send it, then encode the value (a %20 in the path is url=%2520)";
      }
    }
    return null;
  }

  /**
   * {@code target} (a key's path and query, a prefix) for a log line: the values of query
   * parameters that look like secrets masked, as the access log masks them ({@link SecretMasking}).
   */
  public static String masked(String target) {
    return SecretMasking.target(target);
  }

  /** Drops every variant of the URL {@code url} (a key from {@link #urlKey}) from both tiers. */
  public CompletableFuture<Dropped> url(CacheKey url) {
    CacheKey primary = url.primary();
    return purge("url", key -> key.origin().equals(primary.origin())
        && key.pathAndQuery().equals(primary.pathAndQuery()), Set.of(primary));
  }

  /** Drops every object whose path starts with {@code prefix} (checked by {@link #checkPrefix}) from both tiers. */
  public CompletableFuture<Dropped> prefix(String prefix) {
    requireNonNull(prefix, "prefix");
    return purge("prefix", key -> key.pathAndQuery().startsWith(prefix), Set.of());
  }

  private CompletableFuture<Dropped> purge(String kind, Predicate<CacheKey> which, Set<CacheKey> urls) {
    return services.storage().purge(which, executor)
        .thenApply(purged -> finish(which, urls, purged.inMemory(), purged.onDisk()))
        .whenComplete((dropped, failed) -> {
          if (dropped != null) {
            services.metrics().purged(kind);
          }
        });
  }

  private Dropped finish(Predicate<CacheKey> which, Set<CacheKey> urls, List<StoredObject> inMemory,
      List<StoredObject> onDisk) {
    Map<CacheKey, Long> lengths = new LinkedHashMap<>();
    inMemory.forEach(object -> lengths.put(object.key(), object.length()));
    onDisk.forEach(object -> lengths.putIfAbsent(object.key(), object.length()));
    Set<CacheKey> primaries = new HashSet<>(urls);
    lengths.keySet().forEach(key -> primaries.add(key.primary()));
    primaries.forEach(services.variants()::forget);
    services.passes().forgetAll(which);
    return new Dropped(lengths.size(), lengths.values().stream().mapToLong(Long::longValue).sum());
  }

  /** Stops the thread of purges; a purge still queued never completes. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
