package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheStatus;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.origin.Fetches;
import java.time.Clock;
import java.util.function.IntSupplier;

/**
 * What the responders that answer from the store use ({@link SliceResponder}, {@link
 * PendingResponder}, {@link OnlyIfCachedResponder}), given to them by {@link ResponderChooser}
 * rather than looked up: the store, the fetch side, the {@code Cache-Status} values, the clock,
 * and the read-ahead now (a reload may change it). One per gateway.
 *
 * @param readAheadSlices {@code cache.read-ahead-slices} now
 */
record StoreReading(Storage storage, Fetches fetches, CacheStatus statuses, Clock clock,
    IntSupplier readAheadSlices) {

  StoreReading {
    requireNonNull(storage, "storage");
    requireNonNull(fetches, "fetches");
    requireNonNull(statuses, "statuses");
    requireNonNull(clock, "clock");
    requireNonNull(readAheadSlices, "readAheadSlices");
  }
}
