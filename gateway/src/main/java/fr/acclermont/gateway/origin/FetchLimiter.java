package fr.acclermont.gateway.origin;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Bounds the slice fetches in flight to one origin, and orders them: a fetch for bytes a client
 * is waiting for (demand) goes before a background fetch (the fill of the rest of a slice, a
 * prefetch), and a background fetch starts only when no demand fetch is running or waiting, at most
 * {@value #BACKGROUND_PLACES} at a time, so the background takes little of a saturated uplink from
 * readers (those already running when demand comes share the uplink with it, connections among
 * many). A background fetch never takes a demand fetch's place: demand fetches are bounded by
 * {@code max} alone, so a client never waits behind a background fetch, and at most {@code max} +
 * {@value #BACKGROUND_PLACES} fetches are in flight. Thread-safe; the tasks it starts hop to their
 * own event loops.
 */
public final class FetchLimiter {

  /** A fetch waiting for its turn. */
  public interface Task {
    /** Starts the fetch; it calls {@link #done} once when it ends. */
    void start();

    /** The fetch will never start (shutdown): release what it holds. */
    void cancel();
  }

  /**
   * Background fetches in flight at most: with fill runs of 64 KiB ({@code SliceFetcher.FILL_RUN_BYTES}),
   * 256 KiB in flight, an uplink's worth over the origin's latency (100 Mbit/s × 20 ms), so that an
   * idle uplink stays busy. One run of 256 KiB at a time left it idle while each request crossed the
   * latency: a 200 MiB object touched by random readers filled at half the uplink's rate (34 s
   * instead of 17 s at 100 Mbit/s; issue #21). A reader arriving meanwhile shares the uplink with
   * 256 KiB of fills at most, in runs of a sixteenth of a slice.
   */
  static final int BACKGROUND_PLACES = 4;

  private int max;
  private final ArrayDeque<Task> demand = new ArrayDeque<>();
  private final ArrayDeque<Task> fills = new ArrayDeque<>();
  private int running;
  private int runningDemand;
  private boolean closed;

  /** @param max demand fetches in flight at most (plus {@value #BACKGROUND_PLACES} background fetches) */
  public FetchLimiter(int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
    }
    this.max = max;
  }

  /**
   * Starts {@code task} now or when a place frees up: a demand place for a {@link FetchKind#DEMAND}
   * or {@link FetchKind#READ_AHEAD} fetch, a background one for a {@link FetchKind#BACKGROUND}
   * fetch. The fetch it starts must call {@link #done} exactly once, with the same {@code kind},
   * when it ends.
   */
  public void submit(Task task, FetchKind kind) {
    boolean isDemand = kind.demand();
    synchronized (this) {
      if (closed) {
        task.cancel();
        return;
      }
      if (!mayStart(isDemand)) {
        (isDemand ? demand : fills).add(task);
        return;
      }
      take(isDemand);
    }
    task.start();
  }

  /**
   * From a {@link Task#start}, which the limiter calls on whatever thread freed the place: runs
   * {@code start} on the fetch's {@code loop}. When that loop is stopping, cancels {@code task} and
   * frees its place instead: a task queued on a loop that is shutting down may be dropped with it,
   * and what it holds (a slice) never released.
   */
  void startOn(EventLoop loop, Runnable start, Task task, FetchKind kind) {
    if (!loop.isShuttingDown()) {
      try {
        loop.execute(start);
        return;
      } catch (RejectedExecutionException shuttingDown) {
        // stopped since: cancelled below
      }
    }
    task.cancel();
    done(kind);
  }

  /** A fetch ended: starts the fetches waiting that may start now, demand first. */
  public void done(FetchKind kind) {
    synchronized (this) {
      running--;
      if (kind.demand()) {
        runningDemand--;
      }
    }
    startWaiting();
  }

  /**
   * Changes the bound (a reload): a larger one starts waiting fetches now; a smaller one lets the
   * fetches running finish, and starts no other until fewer than {@code max} demand fetches run.
   */
  public void resize(int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
    }
    synchronized (this) {
      this.max = max;
    }
    startWaiting();
  }

  /** Starts the fetches waiting that may start now, demand first. */
  private void startWaiting() {
    while (true) {
      Task next;
      synchronized (this) {
        if (!demand.isEmpty() && mayStart(true)) {
          take(true);
          next = demand.poll();
        } else if (!fills.isEmpty() && mayStart(false)) {
          take(false);
          next = fills.poll();
        } else {
          return;
        }
      }
      next.start();
    }
  }

  private boolean mayStart(boolean isDemand) {
    return !closed && (isDemand ? runningDemand < max
        : runningDemand == 0 && demand.isEmpty() && running < BACKGROUND_PLACES);
  }

  private void take(boolean isDemand) {
    running++;
    if (isDemand) {
      runningDemand++;
    }
  }

  /** Shutdown: the fetches still waiting never start. */
  public void close() {
    List<Task> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(demand);
      dropped.addAll(fills);
      demand.clear();
      fills.clear();
    }
    dropped.forEach(Task::cancel);
  }

  /** Fetches running now (metrics, tests). */
  public synchronized int running() {
    return running;
  }

  /** Fetches waiting for a place (metrics, tests). */
  public synchronized int waiting() {
    return demand.size() + fills.size();
  }
}
