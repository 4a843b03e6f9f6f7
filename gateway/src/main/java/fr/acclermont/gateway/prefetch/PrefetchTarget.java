package fr.acclermont.gateway.prefetch;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.server.Purges;

/**
 * One object to prefetch, routed and keyed as a client's GET of it would be.
 *
 * @param route its origin
 * @param target its path and query as a client asks for it (what the cache key holds)
 * @param manifest whether it is a book's manifest, whose entries are prefetched too
 * @param list the list it comes from (for the status), as configured
 */
record PrefetchTarget(OriginRoute route, String target, boolean manifest, String list) {

  PrefetchTarget {
    requireNonNull(route, "route");
    requireNonNull(target, "target");
    requireNonNull(list, "list");
  }

  /** The key of its URL, without a variant. */
  CacheKey primary() {
    return new CacheKey(route.name(), target);
  }

  /** This target as a manifest lists it: never read as a manifest itself. */
  PrefetchTarget listed() {
    return manifest ? new PrefetchTarget(route, target, false, list) : this;
  }

  /** How the progress file names it: the origin's name and the target (targets hold no space). */
  String id() {
    return route.name() + ' ' + target;
  }

  /** For the status and the log: the origin's name and the target, secrets of the query masked. */
  @Override
  public String toString() {
    return route.name() + ':' + Purges.masked(target);
  }
}
