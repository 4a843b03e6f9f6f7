package fr.acclermont.loadtest.origin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock and a timer that move only when told, so shaper tests are exact and instant. Tasks run
 * on the thread that calls {@link #runNext()}, in order of due time. Thread-safe: connections'
 * event loops may schedule while a test runs tasks (a task runs outside the timer's lock, so a
 * task that takes the shaper's lock never waits for a thread that holds it and schedules).
 */
final class ManualTimer implements UplinkShaper.Timer {

  private final List<Task> tasks = new ArrayList<>();
  private volatile long nowNanos;
  private long sequence;
  private boolean closed;

  /** Returns the current time, for {@link UplinkShaper}'s clock. */
  long nanoTime() {
    return nowNanos;
  }

  /** Moves the clock forward without running anything. */
  synchronized void advance(long nanos) {
    nowNanos += nanos;
  }

  /** Moves the clock to the next task and runs it; returns false when none is scheduled. */
  boolean runNext() {
    Task next;
    synchronized (this) {
      if (tasks.isEmpty()) {
        return false;
      }
      next = tasks.stream().min(Comparator.comparingLong(Task::due).thenComparingLong(Task::sequence)).orElseThrow();
      tasks.remove(next);
      nowNanos = Math.max(nowNanos, next.due);
    }
    next.runnable.run();
    return true;
  }

  /**
   * Runs, in order, every task due by {@code nanos} from now (tasks they schedule included), then
   * leaves the clock there.
   */
  void runFor(long nanos) {
    long until = nowNanos + nanos;
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().min(Comparator.comparingLong(Task::due).thenComparingLong(Task::sequence))
            .filter(task -> task.due <= until).orElse(null);
        if (next == null) {
          nowNanos = until;
          return;
        }
        tasks.remove(next);
        nowNanos = Math.max(nowNanos, next.due);
      }
      next.runnable.run();
    }
  }

  /** Returns how many tasks are scheduled. */
  synchronized int pending() {
    return tasks.size();
  }

  @Override
  public synchronized void schedule(Runnable task, long delayNanos) {
    if (!closed) {
      tasks.add(new Task(nowNanos + delayNanos, sequence++, task));
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    tasks.clear();
  }

  private record Task(long due, long sequence, Runnable runnable) {}
}
