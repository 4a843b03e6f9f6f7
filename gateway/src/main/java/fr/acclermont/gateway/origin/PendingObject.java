package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.cache.Watchers;
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
  private volatile boolean timedOut;

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

  /** After {@code FAILED}: whether the origin did not answer in time (504) rather than broke (502). */
  public boolean timedOut() {
    return timedOut;
  }

  /** Watches for the end of the wait; check {@link #state()} after registering. */
  public Watchers.Registration watch(Watchers.Watcher watcher) {
    return watchers.add(watcher);
  }

  void publish(StoredObject published) {
    requireNonNull(published, "published");
    end(State.PUBLISHED, published, false);
  }

  void abandon() {
    end(State.ABANDONED, null, false);
  }

  void fail(boolean timeout) {
    end(State.FAILED, null, timeout);
  }

  /** Ends the wait once: later calls change nothing. */
  private void end(State terminal, @Nullable StoredObject published, boolean timeout) {
    synchronized (this) {
      if (state != State.AWAITING) {
        return;
      }
      this.object = published;
      this.timedOut = timeout;
      state = terminal; // volatile: publishes the fields above
    }
    watchers.signal();
  }
}
