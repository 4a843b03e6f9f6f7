package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.origin.OriginClient;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * What a pass-through ({@link ForwardResponder}) uses, given to it by {@link ResponderChooser}
 * rather than looked up: the origin client, the {@code Cache-Status} values, the clock, the
 * request body limit now (a reload may change it), and what its answer does to the store.
 * One per gateway.
 *
 * @param maxBodyBytes {@code limits.max-body-bytes} now
 */
record Forwarding(OriginClient originClient, CacheStatus statuses, Clock clock, LongSupplier maxBodyBytes,
    StoreEffects effects) {

  Forwarding {
    requireNonNull(originClient, "originClient");
    requireNonNull(statuses, "statuses");
    requireNonNull(clock, "clock");
    requireNonNull(maxBodyBytes, "maxBodyBytes");
    requireNonNull(effects, "effects");
  }
}
