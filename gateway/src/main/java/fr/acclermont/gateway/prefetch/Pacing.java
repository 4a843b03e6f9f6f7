package fr.acclermont.gateway.prefetch;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The clock the rate cap ({@link TokenBucket}) reads and the wait before a fetch it delays: the
 * real ones, or a test's, which moves its clock by each wait it is asked for, so that the pacing
 * of a whole run is exact and instant.
 */
interface Pacing {

  /** {@link System#nanoTime()}, and the prefetch's thread's timer. */
  Pacing REAL = new Pacing() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void schedule(ScheduledExecutorService executor, Runnable task, long delayMillis) {
      executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }
  };

  /** Returns the time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs {@code task} on {@code executor} {@code delayMillis} from now.
   *
   * @throws java.util.concurrent.RejectedExecutionException if the executor is shut down
   */
  void schedule(ScheduledExecutorService executor, Runnable task, long delayMillis);
}
