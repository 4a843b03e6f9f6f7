package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.OriginOutcome;
import io.netty.channel.EventLoop;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one origin is reachable, as its exchanges and probes find it; one per {@link OriginRoute}.
 *
 * <p>States: up (the start) and down. Every origin exchange reports what it learnt: a response
 * head below 500, or 501 (the origin does not know the method, but it answers), is
 * {@link #succeeded()}; a connect failure, a timeout before the head, or another 5xx head is
 * {@link #failed}. A reset mid-body after a good head says nothing about reachability and is not
 * reported. While up, a connect failure or a timeout marks the origin down at once (the link is
 * gone: every miss would wait for it), but a 5xx only as the {@link #STATUS_FAILURES_TO_GO_DOWN}th
 * in a row, with no good answer between: one broken path among good ones would otherwise flip the
 * origin down and up at every request. The first success while down, from any exchange or a probe,
 * marks it up. Failures while down change nothing, and so do successes while up after a good
 * answer, so a report on the common path is one volatile read.
 *
 * <p>Probes: while down, and once {@link #probeThrough} has wired it, a {@code HEAD} of the
 * origin's base path is sent through the normal {@link OriginClient} (same timeouts, {@code Host},
 * {@code Via}), the first {@link #FIRST_PROBE_MILLIS} after going down, each next one twice as late
 * as the last up to {@link #MAX_PROBE_MILLIS}. One probe at a time; they are scheduled on one of
 * the gateway's event loops and never block it. Going up cancels the probe scheduled; a probe in
 * flight then ends unheeded. {@link #close()} (shutdown) cancels it and schedules nothing more.
 *
 * <p>Concurrency: exchanges report from every event loop. Transitions and the probe schedule are
 * made under this object's lock, taken only when the state may change and around each probe;
 * {@link #up()} and {@link #downSinceMillis()} are volatile reads. Thread-safe.
 */
public final class OriginHealth {

  /**
   * The first probe, a second after going down: an origin restart or a dropped link that comes
   * straight back is noticed within a second or two, and a second is long enough for the probe not
   * to meet the very failure that marked the origin down.
   */
  static final long FIRST_PROBE_MILLIS = 1_000;
  /**
   * Probes at most 30 s apart: an uplink out for hours costs two small requests a minute per school,
   * hundreds of which probe the same origin, and a recovery is still noticed within half a minute.
   */
  static final long MAX_PROBE_MILLIS = 30_000;

  /**
   * 5xx answers in a row that mark the origin down. An origin whose every answer is a 5xx (a load
   * balancer with no backend left) goes down within three requests; a broken path among good ones
   * never does.
   */
  static final int STATUS_FAILURES_TO_GO_DOWN = 3;

  private static final Logger log = LoggerFactory.getLogger(OriginHealth.class);

  /** Sends one probe of the origin. */
  @FunctionalInterface
  interface Prober {
    /**
     * Starts a probe. {@code done} must be called exactly once, with whether the origin answered
     * with a head that means up ({@link #isUpStatus}); it may be called on any thread.
     */
    void probe(ProbeDone done);
  }

  /** Receives the end of a probe. */
  @FunctionalInterface
  interface ProbeDone {
    /** The probe ended; {@code up} if the origin answered with a head that means up. */
    void done(boolean up);
  }

  /** Runs probes later: one of the gateway's event loops, a fake in tests. */
  @FunctionalInterface
  interface Scheduler {
    /**
     * Runs {@code task} once after {@code delayMillis}; the future returned cancels it.
     *
     * @throws RejectedExecutionException when shutting down
     */
    Future<?> schedule(Runnable task, long delayMillis);
  }

  private final String origin;
  private final LongSupplier clockMillis;
  private volatile boolean up = true;
  private volatile long downSinceMillis;
  /** When the origin was last found up (epoch milliseconds): at start, then at each recovery. */
  private volatile long upSinceMillis;
  /**
   * 5xx answers since the last good one, while up. Updated from every event loop without a lock: a
   * lost update at worst delays going down by one answer.
   */
  private volatile int statusFailuresInARow;
  /** A request sent while down is in flight: see {@link #tryTrial()}. */
  private final AtomicBoolean trialInFlight = new AtomicBoolean();
  // Guarded by this:
  private long firstProbeMillis;
  private long maxProbeMillis;
  private long nextProbeMillis;
  private @Nullable Prober prober;
  private @Nullable Scheduler scheduler;
  private @Nullable Future<?> scheduled;
  /** Identifies the probe scheduled last: a task that ran as it was being cancelled sees it changed. */
  private long scheduleGeneration;
  private boolean probeInFlight;
  private boolean closed;

  /**
   * Creates the health of an origin, up, with the production backoff; it probes nothing until
   * {@link #probeThrough} is called.
   *
   * @param origin how log lines name the origin, e.g. {@code cloud (http://cloud.example)}
   */
  public OriginHealth(String origin) {
    this(origin, System::currentTimeMillis, FIRST_PROBE_MILLIS, MAX_PROBE_MILLIS);
  }

  /** For tests: a manual clock and a shorter backoff. */
  OriginHealth(String origin, LongSupplier clockMillis, long firstProbeMillis, long maxProbeMillis) {
    this.origin = requireNonNull(origin, "origin");
    this.clockMillis = requireNonNull(clockMillis, "clockMillis");
    this.upSinceMillis = clockMillis.getAsLong();
    backoff(firstProbeMillis, maxProbeMillis);
  }

  /** Whether a response status means the origin is up: below 500, or 501 (the method is unknown to it). */
  static boolean isUpStatus(int status) {
    return status < 500 || status == 501;
  }

  /** Whether the origin is believed reachable: true from the start until a failure. Cheap. */
  public boolean up() {
    return up;
  }

  /**
   * While the origin is down, requests are sent to it one at a time: that trial finds a recovered
   * origin as soon as traffic asks for it, while the others fail at once instead of each waiting
   * out the connect timeout of an uplink that drops packets (a book page with 50 uncached assets
   * would hang for minutes). True if the caller may send its request as the trial; it must then
   * call {@link #trialEnded()} once the request has ended, however it ended. Callers ask only
   * after finding {@link #up()} false; probes do not ask.
   */
  public boolean tryTrial() {
    return trialInFlight.compareAndSet(false, true);
  }

  /** The trial admitted while down ended: the next request may try. */
  public void trialEnded() {
    trialInFlight.set(false);
  }

  /** When the origin was found down (epoch milliseconds), or 0 while it is up. */
  public long downSinceMillis() {
    return downSinceMillis;
  }

  /** When the origin was last found up (epoch milliseconds): the gateway's start, or its last recovery. */
  public long upSinceMillis() {
    return upSinceMillis;
  }

  /** An exchange got a response head that means up: marks the origin up if it was down. */
  public void succeeded() {
    if (up) {
      if (statusFailuresInARow != 0) {
        statusFailuresInARow = 0;
      }
      return; // the common path: nothing changes
    }
    long downFor;
    synchronized (this) {
      if (up || closed) {
        return;
      }
      downFor = clockMillis.getAsLong() - downSinceMillis;
      up = true;
      upSinceMillis = clockMillis.getAsLong();
      downSinceMillis = 0;
      cancelScheduled();
    }
    log.info("origin {} is up again after {} s down", origin, String.format(Locale.ROOT, "%.1f", downFor / 1000.0));
  }

  /**
   * An exchange found the origin unreachable: marks it down if it was up (a 5xx only as the
   * {@link #STATUS_FAILURES_TO_GO_DOWN}th in a row), and starts probing.
   *
   * @param outcome {@link OriginOutcome#CONNECT}, {@link OriginOutcome#TIMEOUT} (before the head) or
   *     {@link OriginOutcome#STATUS}
   * @param status the 5xx status for {@link OriginOutcome#STATUS}; 0 otherwise
   */
  public void failed(OriginOutcome outcome, int status) {
    requireNonNull(outcome, "outcome");
    if (!up) {
      return; // already down: the probes find when it is back
    }
    if (outcome == OriginOutcome.STATUS && ++statusFailuresInARow < STATUS_FAILURES_TO_GO_DOWN) {
      return; // not yet: a good answer in between forgets it
    }
    long first;
    long max;
    synchronized (this) {
      if (!up || closed) {
        return;
      }
      up = false;
      statusFailuresInARow = 0;
      downSinceMillis = clockMillis.getAsLong();
      nextProbeMillis = firstProbeMillis;
      first = firstProbeMillis;
      max = maxProbeMillis;
      scheduleProbe();
    }
    log.warn("origin {} is down: {}; probing it after {} ms, backing off to every {} ms", origin,
        reason(outcome, status), first, max);
  }

  /** Reports a response head by its status: {@link #succeeded()} or {@link #failed}. */
  void answered(int status) {
    if (isUpStatus(status)) {
      succeeded();
    } else {
      failed(OriginOutcome.STATUS, status);
    }
  }

  /**
   * Starts probing the upstream while it is down: {@code HEAD} of its base path sent by
   * {@code client}, scheduled and run on {@code loop}. Called once when the gateway starts.
   *
   * @param upstream the origin or parent this health belongs to: the probes' target, {@code Host}
   *     and pool
   * @param via this gateway's {@code Via} entry, sent as on every origin request
   */
  public void probeThrough(Upstream upstream, OriginClient client, EventLoop loop, String via) {
    OriginProbe probe = new OriginProbe(upstream, client, loop, via);
    probeWith(probe, (task, delayMillis) -> loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
  }

  /** Sets how probes are sent and timed; a probe is scheduled at once if the origin is down. */
  synchronized void probeWith(Prober prober, Scheduler scheduler) {
    this.prober = requireNonNull(prober, "prober");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    if (!up) {
      scheduleProbe();
    }
  }

  /** Sets the backoff (tests shorten it); applies from the next probe scheduled. */
  synchronized void backoff(long firstProbeMillis, long maxProbeMillis) {
    if (firstProbeMillis <= 0 || maxProbeMillis < firstProbeMillis) {
      throw new IllegalArgumentException("backoff: " + firstProbeMillis + " ms to " + maxProbeMillis
          + " ms (expected: 0 < first <= max)");
    }
    this.firstProbeMillis = firstProbeMillis;
    this.maxProbeMillis = maxProbeMillis;
    this.nextProbeMillis = firstProbeMillis;
  }

  /** Stops probing for good (shutdown): cancels the probe scheduled; later reports change nothing. */
  public synchronized void close() {
    closed = true;
    cancelScheduled();
  }

  /** Whether a probe is scheduled and not yet started, for tests. */
  synchronized boolean probeScheduled() {
    return scheduled != null;
  }

  /** Schedules the next probe unless one is scheduled or in flight. Holds the lock. */
  private void scheduleProbe() {
    Scheduler s = scheduler;
    if (closed || s == null || probeInFlight || scheduled != null) {
      return;
    }
    long delay = nextProbeMillis;
    nextProbeMillis = Math.min(nextProbeMillis * 2, maxProbeMillis);
    long generation = ++scheduleGeneration;
    try {
      scheduled = s.schedule(() -> runProbe(generation), delay);
    } catch (RejectedExecutionException e) {
      log.debug("not probing origin {}: the gateway is stopping", origin);
    }
  }

  private void cancelScheduled() {
    scheduleGeneration++;
    Future<?> s = scheduled;
    scheduled = null;
    if (s != null) {
      s.cancel(false);
    }
  }

  private void runProbe(long generation) {
    Prober p;
    synchronized (this) {
      if (generation != scheduleGeneration) {
        return; // cancelled as it started
      }
      scheduled = null;
      if (up || closed || prober == null) {
        return;
      }
      probeInFlight = true;
      p = prober;
    }
    try {
      p.probe(this::probeDone);
    } catch (RuntimeException e) {
      // The loop may be shutting down; a probe that could not start counts as one that failed.
      log.debug("probe of origin {} could not start", origin, e);
      probeDone(false);
    }
  }

  private void probeDone(boolean answered) {
    if (answered) {
      succeeded();
    }
    synchronized (this) {
      probeInFlight = false;
      if (!up) {
        scheduleProbe();
      }
    }
  }

  private static String reason(OriginOutcome outcome, int status) {
    return switch (outcome) {
      case CONNECT -> "cannot connect";
      case TIMEOUT -> "no response head in time";
      case STATUS -> "answered " + status;
      default -> outcome.tag();
    };
  }

  @Override
  public String toString() {
    return origin + (up ? " up" : " down since " + downSinceMillis);
  }
}
