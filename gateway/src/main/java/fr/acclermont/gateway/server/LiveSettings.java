package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheRules;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.origin.OriginRouter;
import fr.acclermont.gateway.security.Entitlements;

/**
 * What a reload may replace, as one value: the configuration and what the data path builds from it
 * (routes, caching rules, entitlement rules, the request guard). {@link GatewayServices} holds one
 * and swaps it whole, so a request reads one consistent set: never new routes with old limits
 * (but a client connection keeps the request guard, its limits, it started with; the guard routes
 * with the router now: {@link RequestGuard}).
 *
 * @param config the configuration
 * @param router the origins by path prefix
 * @param rules the operator's caching choices ({@code cache.overrides}, heuristics, stale on error)
 * @param entitlements the entitlement rules
 * @param guard what a request head must satisfy, and where it goes
 */
record LiveSettings(GatewayConfig config, OriginRouter router, CacheRules rules, Entitlements entitlements,
    RequestGuard guard) {

  LiveSettings {
    requireNonNull(config, "config");
    requireNonNull(router, "router");
    requireNonNull(rules, "rules");
    requireNonNull(entitlements, "entitlements");
    requireNonNull(guard, "guard");
  }
}
