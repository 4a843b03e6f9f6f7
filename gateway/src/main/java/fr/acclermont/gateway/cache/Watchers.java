package fr.acclermont.gateway.cache;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

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

  /**
   * One watcher's place; coalesces notifications so at most one is queued at a time. It is its own
   * queued task ({@link #run}), so a registration costs one object (allocation guard).
   */
  public final class Registration implements Runnable {

    /** A field updater rather than an AtomicBoolean: one object less per reader (allocation guard). */
    private static final AtomicIntegerFieldUpdater<Registration> SCHEDULED =
        AtomicIntegerFieldUpdater.newUpdater(Registration.class, "scheduled");

    private final Watcher watcher;
    /** 1 while a notification is queued on the watcher's executor. */
    private volatile int scheduled;
    private volatile boolean cancelled;

    private Registration(Watcher watcher) {
      this.watcher = watcher;
    }

    private void signal() {
      if (!cancelled && SCHEDULED.compareAndSet(this, 0, 1)) {
        try {
          watcher.executor().execute(this);
        } catch (RejectedExecutionException shuttingDown) {
          // The watcher's event loop is gone (shutdown): it will never look again; let it go.
          scheduled = 0;
          cancel();
        }
      }
    }

    /** The queued notification, on the watcher's executor: tells the watcher unless it cancelled. */
    @Override
    public void run() {
      scheduled = 0;
      if (!cancelled) {
        watcher.onChange();
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
