package fr.acclermont.loadtest.origin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock and a timer that move only when told, so shaper tests are exact and instant. Tasks run
 * on the calling thread, in order of due time. Not thread-safe.
 */
final class ManualTimer implements UplinkShaper.Timer {

  private final List<Task> tasks = new ArrayList<>();
  private long nowNanos;
  private long sequence;
  private boolean closed;

  /** Returns the current time, for {@link UplinkShaper}'s clock. */
  long nanoTime() {
    return nowNanos;
  }

  /** Moves the clock forward without running anything. */
  void advance(long nanos) {
    nowNanos += nanos;
  }

  /** Moves the clock to the next task and runs it; returns false when none is scheduled. */
  boolean runNext() {
    if (tasks.isEmpty()) {
      return false;
    }
    Task next = tasks.stream().min(Comparator.comparingLong(Task::due).thenComparingLong(Task::sequence)).orElseThrow();
    tasks.remove(next);
    nowNanos = Math.max(nowNanos, next.due);
    next.runnable.run();
    return true;
  }

  /** Returns how many tasks are scheduled. */
  int pending() {
    return tasks.size();
  }

  @Override
  public void schedule(Runnable task, long delayNanos) {
    if (!closed) {
      tasks.add(new Task(nowNanos + delayNanos, sequence++, task));
    }
  }

  @Override
  public void close() {
    closed = true;
    tasks.clear();
  }

  private record Task(long due, long sequence, Runnable runnable) {}
}
