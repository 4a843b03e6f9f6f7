package fr.acclermont.gateway.cache;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The clients watching something that changes on another thread (a slice filling, an object head
 * awaited): each is told on its own event loop, with at most one notification queued at a time,
 * so a burst of appends costs a watcher one wake-up. Thread-safe.
 */
public final class Watchers {

  /** A client watching. Methods are called on {@link #executor()}. */
  public interface Watcher {
    /** The watcher's event loop. */
    EventExecutor executor();

    /** Something changed; look again. */
    void onChange();
  }

  private final List<Registration> registrations = new CopyOnWriteArrayList<>();

  /** Starts telling {@code watcher} of changes until it cancels. */
  public Registration add(Watcher watcher) {
    Registration registration = new Registration(watcher);
    registrations.add(registration);
    return registration;
  }

  /** Whether anyone is watching. */
  public boolean isEmpty() {
    return registrations.isEmpty();
  }

  /** Tells every watcher, each on its own loop. */
  public void signal() {
    for (Registration registration : registrations) {
      registration.signal();
    }
  }

  /** One watcher's place; coalesces notifications so at most one is queued at a time. */
  public final class Registration {

    private final Watcher watcher;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean cancelled;

    private Registration(Watcher watcher) {
      this.watcher = watcher;
    }

    private void signal() {
      if (!cancelled && scheduled.compareAndSet(false, true)) {
        try {
          watcher.executor().execute(() -> {
            scheduled.set(false);
            if (!cancelled) {
              watcher.onChange();
            }
          });
        } catch (RejectedExecutionException shuttingDown) {
          // The watcher's event loop is gone (shutdown): it will never look again; let it go.
          scheduled.set(false);
          cancel();
        }
      }
    }

    /** Stops the notifications. */
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        registrations.remove(this);
      }
    }
  }
}
