package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.cache.Watchers;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An object whose head the origin has not sent yet: the clients that missed it wait here for the
 * first fetch (the probe) to learn its status, headers, length and version. Once published, each
 * reads the object's slices on its own; nobody waits for a whole object or a whole slice.
 *
 * <p>Thread-safe: the probe publishes on its event loop; watchers are told on theirs.
 */
public final class PendingObject {

  /** Where the head stands. */
  public enum State {
    /** The probe is in flight. */
    AWAITING,
    /** The head is known and the object is in the store: read its slices. */
    PUBLISHED,
    /** The response may not be stored or shared: fetch on your own. */
    ABANDONED,
    /** The probe failed before the head: nothing to read. */
    FAILED
  }

  private final CacheKey key;
  private final Watchers watchers = new Watchers();
  private volatile State state = State.AWAITING;
  private volatile @Nullable StoredObject object;
  private volatile @Nullable FetchFailure failure;
  private volatile int originStatus;
  private volatile @Nullable OriginErrorAnswer errorAnswer;
  private volatile @Nullable Run probed;
  /** The runs probes of this object are fetching; guarded by {@code this}. */
  private final List<Reservation> reservations = new ArrayList<>(2);

  /**
   * The run {@code [first, last]} one probe is fetching. The probe whose head arrives first
   * publishes the object and, in the same step, claims every reserved run in the new version's
   * slices for the probe that reserved it, so no reader fetches those bytes a second time.
   */
  public static final class Reservation {
    private final long first;
    private final long last;
    private @Nullable List<ClaimedRuns.Segment> claims;

    private Reservation(long first, long last) {
      this.first = first;
      this.last = last;
    }

    long first() {
      return first;
    }

    long last() {
      return last;
    }
  }

  /**
   * A run {@code [first, end)} of an object's bytes.
   *
   * @param first the first byte
   * @param end the end (exclusive)
   */
  public record Run(long first, long end) {
  }

  PendingObject(CacheKey key) {
    this.key = requireNonNull(key, "key");
  }

  /** The object's key. */
  public CacheKey key() {
    return key;
  }

  /** The current state; read {@link #object()} after seeing {@code PUBLISHED}. */
  public State state() {
    return state;
  }

  /** The published object, or null before. */
  public @Nullable StoredObject object() {
    return object;
  }

  /**
   * The status of the origin's answer that ended the wait: 200 or 206 (published, a new copy), 304
   * (published, the stored copy confirmed), a 5xx (failed: the origin is in error, {@link
   * FetchFailure.Kind#ORIGIN_STATUS}); 0 when the origin did not answer.
   */
  public int originStatus() {
    return originStatus;
  }

  /**
   * After {@code FAILED} with an error status: the origin's whole answer, to give every waiter, or
   * null when it was not kept (too large, or cut) and each waiter passes the error through itself.
   */
  public @Nullable OriginErrorAnswer errorAnswer() {
    return errorAnswer;
  }

  /**
   * The run of the object that the probe of this wait fetches for the client that sent it (the
   * leader, or a side probe's client): set once its head is answered and the run claimed, before
   * any of its bytes is written, so a reader that sees those bytes sees the run. Null until then,
   * and for a probe that brings no bytes (a 304) or stopped at its head. Only that client's reader
   * may take it as its own: the others collapsed on the wait count those bytes as another's.
   */
  public @Nullable Run probed() {
    return probed;
  }

  /** Notes the run {@code [first, end)} the probe of this wait fetches for its own client ({@link #probed}). */
  void probing(long first, long end) {
    probed = new Run(first, end);
  }

  /**
   * After {@code FAILED}: how the probe failed (the origin did not answer in time: 504; no usable
   * answer: 502; or the origin's error status). Null in any other state.
   */
  public @Nullable FetchFailure failure() {
    return failure;
  }

  /**
   * Reserves the run {@code [first, last]} for a probe while the head is awaited, if no other
   * probe of this object fetches any of it; null (nothing reserved) otherwise. Probes of disjoint
   * runs may run side by side: a client waiting for a range elsewhere in the object does not wait
   * for the first probe's head. The leader's own run is reserved as the object is created
   * ({@link FetchCoordinator#joinOrLead(fr.acclermont.gateway.cache.CacheKey, long[])}), so no
   * client can reserve, and fetch, the very run the leader is about to.
   */
  public synchronized @Nullable Reservation reserve(long first, long last) {
    if (state != State.AWAITING) {
      return null;
    }
    for (Reservation r : reservations) {
      if (r.first <= last && first <= r.last) {
        return null;
      }
    }
    Reservation reservation = new Reservation(first, last);
    reservations.add(reservation);
    return reservation;
  }

  /** The reservations, for the probe that publishes (called under this object's lock). */
  List<Reservation> reservations() {
    return reservations;
  }

  /** Sets the claims of a reservation (called under this object's lock by the publishing probe). */
  void claimed(Reservation reservation, List<ClaimedRuns.Segment> segments) {
    reservation.claims = segments;
  }

  /**
   * Takes back a reservation: its probe's head arrived, or the probe ended. Returns the claims the
   * publishing probe made for it (the caller owns them now), or an empty list.
   */
  synchronized List<ClaimedRuns.Segment> take(Reservation reservation) {
    reservations.remove(reservation);
    List<ClaimedRuns.Segment> claims = reservation.claims;
    reservation.claims = null;
    return claims == null ? List.of() : claims;
  }

  /** Watches for the end of the wait; check {@link #state()} after registering. */
  public Watchers.Registration watch(Watchers.Watcher watcher) {
    return watchers.add(watcher);
  }

  void publish(StoredObject published, int status) {
    requireNonNull(published, "published");
    end(State.PUBLISHED, published, status, null, null);
  }

  void abandon() {
    end(State.ABANDONED, null, 0, null, null);
  }

  /** The probe failed before its head was handled, with no error answer kept to share. */
  void fail(FetchFailure failure) {
    end(State.FAILED, null, failure.status(), failure, null);
  }

  /** The origin answered an error, kept whole ({@code answer}) or not (null). */
  void fail(int status, @Nullable OriginErrorAnswer answer) {
    end(State.FAILED, null, status, FetchFailure.originStatus(status), answer);
  }

  /** Ends the wait once: later calls change nothing. */
  private void end(State terminal, @Nullable StoredObject published, int status, @Nullable FetchFailure failure,
      @Nullable OriginErrorAnswer answer) {
    synchronized (this) {
      if (state != State.AWAITING) {
        return;
      }
      this.object = published;
      this.errorAnswer = answer;
      this.failure = failure;
      this.originStatus = status;
      state = terminal; // volatile: publishes the fields above
    }
    watchers.signal();
  }
}
