package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

/**
 * The identity of one stored object: the configured origin's name plus the request's path and raw
 * query. The client's {@code Host} is deliberately not part of it (DESIGN.md "HTTP contract"): every
 * name a tablet uses for the gateway shares one copy.
 *
 * @param origin the configured origin's name
 * @param pathAndQuery the origin-form request target, exactly as received
 */
public record CacheKey(String origin, String pathAndQuery) {

  /** Validates the components. */
  public CacheKey {
    requireNonNull(origin, "origin");
    requireNonNull(pathAndQuery, "pathAndQuery");
  }

  @Override
  public String toString() {
    return origin + ':' + pathAndQuery;
  }
}
