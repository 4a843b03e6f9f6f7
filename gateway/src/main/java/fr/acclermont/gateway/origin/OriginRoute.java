package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.OriginConfig;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One configured origin as the data path sees it: the request paths routed to it, its slice fetch
 * limit, and the servers its requests go to ({@link Upstream}): its parents, if any, asked first,
 * then the origin itself. Requests are built for the origin ({@link #authority()},
 * {@link #targetFor}); an exchange sent to a parent re-aims them ({@link Upstream#aim}).
 *
 * <p>Parents: a request goes to one parent chosen by rendezvous hashing of its target (the path
 * and query, the cache key's URL) among those up, so each object is asked of one parent, which
 * stores it once for every school; if that parent is down or fails before answering, the next by
 * the same order, then the origin. One parent (the HAProxy in front of a cluster) needs no hashing.
 */
public final class OriginRoute {

  /** Replaced by {@link #update}: the exchanges read their timeouts from it as they arm them. */
  private volatile OriginConfig config;
  private final Upstream origin;
  private final List<Upstream> parents;
  /**
   * The order of every request of a route with no parent ({@code [origin]}) or one
   * ({@code [parent, origin]}: the HAProxy in front of a cluster), shared; null with several.
   */
  private final @Nullable List<Upstream> fixedOrder;
  private final FetchLimiter limiter;

  /**
   * Creates the route and its upstreams' (empty) pools; for an {@code https} origin or parent,
   * builds its TLS context (start-up work: it reads the trust store).
   */
  public OriginRoute(OriginConfig config, OriginConnectionPool.Connector connector) {
    this.config = requireNonNull(config, "config");
    this.origin = new Upstream(this, config.url(), false, connector);
    List<Upstream> list = new ArrayList<>(config.parents().size());
    for (URI parent : config.parents()) {
      list.add(new Upstream(this, parent, true, connector));
    }
    this.parents = List.copyOf(list);
    this.fixedOrder = parents.size() > 1 ? null : parents.isEmpty() ? List.of(origin) : List.of(parents.get(0), origin);
    this.limiter = new FetchLimiter(config.maxFetches());
  }

  /** The configured name: the {@code origin} metrics label and the cache key's namespace. */
  public String name() {
    return config.name();
  }

  /** The configuration now (a reload may have updated it). */
  public OriginConfig config() {
    return config;
  }

  /**
   * Whether {@link #update} can apply {@code next} to this route: the same origin (name, URL, TLS
   * and parents), other settings aside. A route that cannot take it is replaced by a new one.
   */
  public boolean canUpdateTo(OriginConfig next) {
    return next.name().equals(config.name()) && next.url().equals(config.url()) && next.tls().equals(config.tls())
        && next.parents().equals(config.parents());
  }

  /**
   * Applies a reloaded configuration of the same origin ({@link #canUpdateTo}): timeouts (an
   * exchange under way reads them at its next wait), path prefixes (the router is rebuilt by the
   * caller), idle connections kept and slice fetches in flight. The pools, the health and the
   * fetches under way are kept.
   */
  public void update(OriginConfig next) {
    if (!canUpdateTo(next)) {
      throw new IllegalArgumentException("not the same origin: " + next.name() + " (" + next.url() + ")");
    }
    config = next;
    limiter.resize(next.maxFetches());
  }

  /**
   * Takes this route out of service after a reload removed or replaced its origin: no probes any
   * more, idle connections closed, and connections of the exchanges still under way closed when
   * they end. Those exchanges, and the fetches waiting in the limiter, finish on this route.
   */
  public void retire() {
    for (Upstream upstream : upstreams()) {
      upstream.retire();
    }
  }

  /**
   * Stops every upstream's probes and closes their idle connections, at shutdown, before the event
   * loops stop (no probe is left scheduled on them).
   */
  public void close() {
    for (Upstream upstream : upstreams()) {
      upstream.close();
    }
  }

  /**
   * Puts the route in service: each upstream probed through {@code client} while it is down (on
   * one of {@code group}'s loops each), and exported as {@code gateway_origin_up} and
   * {@code gateway_parent_up}. Called once, at start-up or when a reload adds the route.
   *
   * @param via this gateway's {@code Via} entry, sent on the probes as on every request
   */
  public void serve(OriginClient client, EventLoopGroup group, String via, GatewayMetrics metrics) {
    for (Upstream upstream : upstreams()) {
      upstream.health().probeThrough(upstream, client, group.next(), via);
      if (upstream.isParent()) {
        metrics.registerParent(name(), upstream.url().toString(), upstream.health(), h -> h.up() ? 1 : 0);
      }
    }
    metrics.registerOrigin(name(), origin.health(), h -> h.up() ? 1 : 0);
    if (config.usesTls()) {
      metrics.registerOriginTls(name());
    }
  }

  /** The origin itself, asked when no parent is configured or up. */
  public Upstream origin() {
    return origin;
  }

  /** The parents, in configuration order; empty for none. */
  public List<Upstream> parents() {
    return parents;
  }

  /** The parents, then the origin. */
  public List<Upstream> upstreams() {
    List<Upstream> all = new ArrayList<>(parents);
    all.add(origin);
    return all;
  }

  /**
   * The upstreams a request for {@code target} tries, in order: the parents by descending
   * rendezvous score of the target (whether up or not: the exchange skips those down when it gets
   * to them), then the origin, always last.
   */
  List<Upstream> order(String target) {
    if (fixedOrder != null) {
      return fixedOrder;
    }
    int n = parents.size();
    Upstream[] ordered = parents.toArray(new Upstream[n + 1]);
    long[] scores = new long[n];
    long key = target.hashCode();
    for (int i = 0; i < n; i++) {
      scores[i] = score(key, ordered[i].url().hashCode());
    }
    // Insertion sort by descending score: a handful of parents.
    for (int i = 1; i < n; i++) {
      Upstream u = ordered[i];
      long s = scores[i];
      int j = i - 1;
      while (j >= 0 && scores[j] < s) {
        ordered[j + 1] = ordered[j];
        scores[j + 1] = scores[j];
        j--;
      }
      ordered[j + 1] = u;
      scores[j + 1] = s;
    }
    ordered[n] = origin;
    return Arrays.asList(ordered);
  }

  /**
   * A parent's rendezvous score for a target: a 64-bit mix (SplitMix64's finalizer) of both
   * hashes, so that removing one parent moves only its own targets, each to its next parent.
   */
  static long score(long targetHash, int parentHash) {
    long z = (targetHash << 32) ^ (parentHash & 0xffffffffL);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Whether some upstream is believed reachable: the origin, or a parent that holds or fetches what
   * the school asks (an offline school serves stale at once only when none is).
   */
  public boolean reachable() {
    if (origin.health().up()) {
      return true;
    }
    for (int i = 0; i < parents.size(); i++) {
      if (parents.get(i).health().up()) {
        return true;
      }
    }
    return false;
  }

  /** The origin's host. */
  public String host() {
    return origin.host();
  }

  /** The origin's port. */
  public int port() {
    return origin.port();
  }

  /** The origin scheme's default port: 443 for {@code https}, 80 for {@code http}. */
  public int defaultPort() {
    return origin.defaultPort();
  }

  /** The {@code Host} header value sent to the origin (a parent's exchange sets its own). */
  public String authority() {
    return origin.authority();
  }

  /** The origin-form target at the origin for a client's origin-form target. */
  public String targetFor(String pathAndQuery) {
    return origin.targetFor(pathAndQuery);
  }

  /** Bounds and orders the slice fetches in flight to this origin, parents included. */
  public FetchLimiter limiter() {
    return limiter;
  }

  @Override
  public String toString() {
    return name() + " (" + config.url() + ")";
  }
}
