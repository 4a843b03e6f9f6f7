package fr.acclermont.loadtest.origin;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A school's uplink: one token bucket for the whole server, shared fairly by every connection.
 * Each connection's {@link UplinkShapingHandler} asks it for permission to send a piece of at
 * most {@link #PIECE_BYTES}; this class says yes at once or, later, on the connection's own
 * event loop.
 *
 * <p>Thread-safe: connections on any event loop ask at once; grants run on the asker's executor.
 */
/*
 * Design notes
 *
 * Rate. Tokens are bytes. They accrue at the configured rate (decimal bits: 100mbit is
 * 12,500,000 bytes/s) and are capped at the burst: 10 ms worth, and never less than one piece,
 * so a piece can always be paid. The bucket starts full. A grant takes its tokens before the
 * bytes leave, so in any interval of T seconds the bytes granted are at most
 * burst + rate * T: over one second at 20mbit that is 1% above the rate.
 *
 * Fairness. Connections that must wait queue in FIFO order, each with one request of at most
 * one piece (16 KiB). A connection that still has data after its grant asks again and so goes
 * to the back of the queue: round-robin, one piece per turn, whatever the size of the objects
 * or the number of connections. A connection only jumps the queue when the queue is empty and
 * the bucket already holds its tokens (the fast path, no thread hop).
 *
 * Dispatch. When the head of the queue cannot be paid yet, one task is scheduled on a timer
 * thread for the moment its tokens will have accrued (at least 1 ms later, so a fast link is
 * served in batches rather than by a wake-up per piece). The task grants every request the
 * bucket can pay, in order, then schedules itself again if anyone is left. Grants are handed to
 * each connection's event loop (its Executor) outside the lock, so the timer never runs
 * connection code and no lock is held while a connection writes.
 *
 * Concurrency. One monitor guards the bucket, the queue and the dispatch flag. It is held
 * only for arithmetic, queue operations and handing the dispatch task to the timer (which
 * never calls back while holding a lock of its own); never while running connection code
 * (Executor.execute happens after it is released). Each connection has at most one request
 * outstanding (queued or in transit), which the handler guarantees on its event loop, so
 * cancel() has at most one entry to remove.
 *
 * Memory and slow readers (UplinkShapingHandler). Bytes waiting for tokens are held in a
 * PendingWriteQueue that counts against the channel's water marks, so the channel turns
 * unwritable and the origin stops generating: per connection, at most the high-water mark plus
 * one chunk. A connection asks for tokens only while its socket keeps up (less than a piece
 * granted but not yet written), so a client that stops reading neither consumes the uplink
 * nor piles granted bytes in memory.
 *
 * Control endpoints. /_origin/catalog and /_origin/stats are shaped like content: they cross
 * the same uplink. They are not starved, because a connection waits at most one round of the
 * queue per piece (35 busy connections at 20mbit: about 230 ms); the stats JSON of a busy run
 * is one or a few pieces.
 *
 * Lost tokens. A grant that reaches a connection closed meanwhile is dropped: at most one piece
 * per closing connection is wasted, which only lowers the rate.
 */
final class UplinkShaper implements AutoCloseable {

  /** The largest piece a connection sends per turn: small enough for fairness, large enough for speed. */
  static final int PIECE_BYTES = 16 * 1024;
  /** Burst allowance in time: the bucket holds at most this long's worth of tokens (and one piece). */
  static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** The shortest wait between two dispatches: a fast link is served in batches of at least this long. */
  static final long MIN_DISPATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final double NANOS_PER_SECOND = 1e9;

  private final long bytesPerSecond;
  private final double bytesPerNano;
  private final double burstBytes;
  private final LongSupplier nanoClock;
  private final Timer timer;
  private final Object lock = new Object();

  // Guarded by lock.
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private double tokens;
  private long refilledAtNanos;
  private boolean dispatchScheduled;
  private boolean closed;
  private long grantedBytes;

  /**
   * Creates an uplink of {@code bytesPerSecond} with its own timer thread (a daemon); close it
   * to stop that thread.
   */
  UplinkShaper(long bytesPerSecond) {
    this(bytesPerSecond, System::nanoTime, new ThreadTimer());
  }

  /** Creates an uplink with a given clock and timer, so tests can drive time. */
  UplinkShaper(long bytesPerSecond, LongSupplier nanoClock, Timer timer) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond: " + bytesPerSecond + " (expected: > 0)");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.bytesPerNano = bytesPerSecond / NANOS_PER_SECOND;
    this.burstBytes = Math.max(PIECE_BYTES, bytesPerNano * BURST_NANOS);
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    this.timer = requireNonNull(timer, "timer");
    this.tokens = burstBytes;
    this.refilledAtNanos = nanoClock.getAsLong();
  }

  /** Returns the shared rate in bytes per second. */
  long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Returns the most bytes granted at once after an idle period. */
  long burstBytes() {
    return (long) burstBytes;
  }

  /** Returns the bytes granted since creation (for tests and logs). */
  long grantedBytes() {
    synchronized (lock) {
      return grantedBytes;
    }
  }

  /** Returns how many connections wait for tokens (for tests). */
  int waitingFlows() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  /**
   * Asks to send {@code bytes} (1 to {@link #PIECE_BYTES}). Returns {@code true} when the caller
   * may send them now; otherwise {@code flow} is queued and {@link Flow#granted(int)} runs later
   * on {@link Flow#executor()}. The caller must not ask again before that grant. After
   * {@link #close()} every request is granted at once.
   */
  boolean acquire(Flow flow, int bytes) {
    requireNonNull(flow, "flow");
    if (bytes < 1 || bytes > PIECE_BYTES) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: 1-" + PIECE_BYTES + ")");
    }
    synchronized (lock) {
      if (closed) {
        return true;
      }
      refill();
      if (waiting.isEmpty() && tokens >= bytes) {
        take(bytes);
        return true;
      }
      waiting.add(new Request(flow, bytes));
      scheduleDispatch();
      return false;
    }
  }

  /** Forgets {@code flow}'s queued request, if any (its connection closed). */
  void cancel(Flow flow) {
    synchronized (lock) {
      waiting.removeIf(request -> request.flow == flow);
    }
  }

  /** Stops the timer; later requests are granted at once, queued ones are dropped. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      waiting.clear();
    }
    timer.close();
  }

  @Override
  public String toString() {
    return "UplinkShaper{" + bytesPerSecond + " bytes/s, burst " + (long) burstBytes + " bytes}";
  }

  /** Grants every queued request the bucket can pay, in order; runs on the timer. */
  private void dispatch() {
    List<Request> granted = new ArrayList<>();
    synchronized (lock) {
      dispatchScheduled = false;
      if (closed) {
        return;
      }
      refill();
      for (Request head = waiting.peek(); head != null && tokens >= head.bytes; head = waiting.peek()) {
        waiting.poll();
        take(head.bytes);
        granted.add(head);
      }
      scheduleDispatch();
    }
    for (Request request : granted) {
      try {
        request.flow.executor().execute(() -> request.flow.granted(request.bytes));
      } catch (RejectedExecutionException e) {
        // The connection's event loop is shutting down: nobody is left to send.
      }
    }
  }

  /** Schedules one dispatch for when the head of the queue can be paid. Holds the lock. */
  private void scheduleDispatch() {
    Request head = waiting.peek();
    if (head == null || dispatchScheduled) {
      return;
    }
    double missing = head.bytes - tokens;
    long delayNanos = Math.max(MIN_DISPATCH_INTERVAL_NANOS, (long) Math.ceil(missing / bytesPerNano));
    dispatchScheduled = true;
    timer.schedule(this::dispatch, delayNanos);
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    long elapsed = now - refilledAtNanos;
    if (elapsed > 0) {
      tokens = Math.min(burstBytes, tokens + elapsed * bytesPerNano);
      refilledAtNanos = now;
    }
  }

  private void take(int bytes) {
    tokens -= bytes;
    grantedBytes += bytes;
  }

  /** One connection's side of the uplink. */
  interface Flow {

    /** Returns where {@link #granted(int)} must run (the connection's event loop). */
    Executor executor();

    /** Sends {@code bytes}, which the uplink has paid for; runs on {@link #executor()}. */
    void granted(int bytes);
  }

  /** Runs the dispatch task later; the real one is a daemon thread, tests drive a manual one. */
  interface Timer extends AutoCloseable {

    /** Runs {@code task} once, {@code delayNanos} from now. */
    void schedule(Runnable task, long delayNanos);

    /** Stops; pending tasks may be dropped. */
    @Override
    void close();
  }

  private record Request(Flow flow, int bytes) {}

  /** A single daemon thread; precise to well under a millisecond on Linux. */
  private static final class ThreadTimer implements Timer {

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "uplink-shaper");
      thread.setDaemon(true);
      return thread;
    });

    @Override
    public void schedule(Runnable task, long delayNanos) {
      try {
        executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // Closed: the shaper grants everything at once from now on.
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
