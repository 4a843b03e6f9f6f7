package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.InFlightObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The objects being fetched from origins right now, by key: the first client to miss an object
 * becomes the leader of its fetch, and clients that miss it meanwhile join the fetch in flight
 * instead of sending their own request (collapsed forwarding). What the map hands out at once is
 * the in-flight object itself, so a follower streams bytes as they arrive rather than waiting for
 * the fetch to finish.
 *
 * <p>Thread-safe: {@link #joinOrLead} is atomic per key (one leader per fetch).
 */
public final class FetchCoordinator {

  /**
   * The outcome of {@link #joinOrLead}.
   *
   * @param object the in-flight object
   * @param leader whether the caller created it and must fetch it
   */
  public record Lease(InFlightObject object, boolean leader) {
  }

  private final Map<CacheKey, InFlightObject> inFlight = new ConcurrentHashMap<>();

  /** Joins the fetch of {@code key} in flight, or starts one with {@code factory} as its leader. */
  public Lease joinOrLead(CacheKey key, Supplier<InFlightObject> factory) {
    requireNonNull(key, "key");
    InFlightObject[] created = new InFlightObject[1];
    InFlightObject object = inFlight.compute(key, (k, existing) -> {
      // A complete object stays joinable until its leader forgets it: a client that looked the
      // store up just before the object was published must not start a second fetch.
      if (existing != null && existing.state() != InFlightObject.State.FAILED
          && existing.state() != InFlightObject.State.ABANDONED) {
        return existing;
      }
      created[0] = factory.get();
      return created[0];
    });
    return new Lease(object, object == created[0]);
  }

  /** Forgets a fetch that ended (complete, failed or abandoned); later misses start a new one. */
  public void finished(InFlightObject object) {
    inFlight.remove(object.key(), object);
  }

  /** How many fetches are in flight (metrics, tests). */
  public int size() {
    return inFlight.size();
  }
}
