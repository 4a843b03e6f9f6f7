package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The objects whose head is being fetched right now, by key: the first client to miss an object
 * leads the probe (the first slice fetch, which also brings the head), and clients that miss it
 * meanwhile wait for that head instead of sending their own request (collapsed forwarding). After
 * the head, coalescing happens per slice, in {@link fr.acclermont.gateway.cache.Slice}.
 *
 * <p>Thread-safe: {@link #joinOrLead} is atomic per key (one probe per object).
 */
public final class FetchCoordinator {

  /**
   * The outcome of {@link #joinOrLead}.
   *
   * @param pending the object awaiting its head
   * @param leader whether the caller created it and must send the probe
   * @param reservation the leader's run, reserved as the object was created; null for a joiner, or
   *     a leader that named none
   */
  public record Lease(PendingObject pending, boolean leader, PendingObject.@Nullable Reservation reservation) {
  }

  private final Map<CacheKey, PendingObject> pending = new ConcurrentHashMap<>();

  /** Joins the wait for the head of {@code key}, or leads a new one that reserves no run. */
  public Lease joinOrLead(CacheKey key) {
    return joinOrLead(key, null);
  }

  /**
   * Joins the wait for the head of {@code key}, or leads a new one whose probe fetches
   * {@code bounds} ({@code {first, last}}, or null): that run is reserved as the object is created,
   * in the same step, so a client joining an instant later cannot reserve it for a side probe of its
   * own and fetch the same bytes a second time.
   */
  public Lease joinOrLead(CacheKey key, long @Nullable [] bounds) {
    requireNonNull(key, "key");
    PendingObject[] created = new PendingObject[1];
    PendingObject.Reservation[] reserved = new PendingObject.Reservation[1];
    PendingObject object = pending.compute(key, (k, existing) -> {
      if (existing != null && existing.state() == PendingObject.State.AWAITING) {
        return existing;
      }
      created[0] = new PendingObject(k);
      reserved[0] = bounds == null ? null : created[0].reserve(bounds[0], bounds[1]);
      return created[0];
    });
    boolean leader = object == created[0];
    return new Lease(object, leader, leader ? reserved[0] : null);
  }

  /**
   * A wait of its own for a client that sends a side probe (its range, beside the leader's probe)
   * while the object's head is awaited: told when that probe's head is handled.
   */
  public PendingObject sideWait(PendingObject shared) {
    return new PendingObject(shared.key());
  }

  /** The head arrived ({@code status}: the origin's, 304 for a refresh): readers find the object in the store from now on. */
  public void publish(PendingObject object, StoredObject stored, int status) {
    object.publish(stored, status);
    pending.remove(object.key(), object);
  }

  /** The object may not be shared: its waiters fetch on their own. */
  public void abandon(PendingObject object) {
    object.abandon();
    pending.remove(object.key(), object);
  }

  /** The probe failed before the head ({@code failure}: how), with no error answer kept to share. */
  public void fail(PendingObject object, FetchFailure failure) {
    object.fail(failure);
    pending.remove(object.key(), object);
  }

  /** The origin answered the probe an error: {@code answer} is it whole, or null if not kept. */
  public void fail(PendingObject object, int status, @Nullable OriginErrorAnswer answer) {
    object.fail(status, answer);
    pending.remove(object.key(), object);
  }

  /** How many heads are awaited (metrics, tests). */
  public int size() {
    return pending.size();
  }
}
