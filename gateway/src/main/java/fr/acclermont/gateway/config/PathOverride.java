package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An operator's override of caching for the request paths under a prefix, one item of
 * {@code cache.overrides}. It never makes a {@code private} or {@code no-store} response shared:
 * the cache still refuses to store those. Immutable.
 *
 * @param pathPrefix the request path prefix the override applies to, starting with {@code /}
 * @param freshFor the freshness lifetime that replaces the one the origin gave (longer or shorter),
 *     0s..365d; {@code null} keeps the origin's
 * @param offline whether a stored response under the prefix may be served stale when the origin
 *     is unreachable or answers 5xx (offline mode) even if the origin forbids serving it stale
 *     ({@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage}, {@code no-cache})
 */
public record PathOverride(String pathPrefix, @Nullable Duration freshFor, boolean offline) {

  /**
   * Creates an override. Parameters are checked for null only: the prefix's form, the range of
   * {@code freshFor} and that the override changes something are checked by {@link ConfigLoader}.
   *
   * @param pathPrefix the request path prefix the override applies to, starting with {@code /}
   * @param freshFor the freshness lifetime that replaces the one the origin gave (longer or
   *     shorter), 0s..365d; {@code null} keeps the origin's
   * @param offline whether a stored response under the prefix may be served stale when the origin
   *     is unreachable or answers 5xx (offline mode) even if the origin forbids serving it stale
   *     ({@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage}, {@code no-cache})
   */
  public PathOverride {
    requireNonNull(pathPrefix, "pathPrefix");
  }
}
