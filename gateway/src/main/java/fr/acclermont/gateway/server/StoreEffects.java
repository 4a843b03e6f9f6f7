package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.origin.OriginRouter;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What an answer passed through from an origin does to the store (RFC 9111 4.3.5, 4.4):
 * implemented by {@link GatewayServices}, used by {@link ForwardResponder}.
 */
interface StoreEffects {

  /** Removes a URL's stored objects from every tier, every variant of it included. */
  void invalidate(CacheKey key);

  /** The routes now, to read which URLs an unsafe method's answer names ({@link InvalidationTargets}). */
  OriginRouter router();

  /**
   * A 200 to a HEAD: the stored GET response of {@code key}, if any, is refreshed with its fields,
   * or considered stale when they describe another representation.
   */
  void headAnswered(CacheKey key, HttpHeaders requestHeaders, HttpHeaders head, long requestTimeMillis,
      long responseTimeMillis);
}
