package fr.acclermont.gateway.prefetch;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.config.PrefetchConfig;
import fr.acclermont.gateway.config.PrefetchWindow;
import fr.acclermont.gateway.server.GatewayServices;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prefetching ({@code prefetch}, issue #18): the objects of the configured lists fetched into the
 * cache in the configured windows, or at once on demand ({@link #startNow}, the management port's
 * {@code POST /prefetch}), at most at {@code prefetch.max-rate}, always after the clients' own
 * fetches, only what is missing or stale (see {@link ObjectPrefetch}), resuming where a window's
 * end or a restart stopped it (see {@link PrefetchProgress}).
 *
 * <p>Design notes.
 *
 * <p><b>Passes and runs.</b> A pass goes once through every object of the lists; a run is the part
 * of a pass done in one go. A window's occurrence starts a run unless the last pass completed in
 * that occurrence; a run stops at the window's end (between two objects) and the pass goes on at the
 * next window. {@link #startNow} starts a run at once, outside any window, and runs it to its end; a
 * pass started so goes on at once after a restart. Without windows, runs start only on demand.
 *
 * <p><b>After live demand.</b> Every fetch of a prefetch is a background fetch of the origin's
 * {@link fr.acclermont.gateway.origin.FetchLimiter}: it starts only when no client's fetch runs or
 * waits for that origin, beside three other background fetches at most, and never takes a client's
 * place; a client that needs an object a prefetch is fetching shares that fetch, as it would share
 * another client's.
 *
 * <p><b>Rate.</b> One object at a time, one run of at most a tenth of a second's worth of
 * {@code max-rate} (64 KiB to a slice) at a time, each started when the {@link TokenBucket} is
 * out of debt: the origin's bytes average the rate over a run of fetches.
 *
 * <p><b>Threading.</b> The prefetch's own thread (a Netty {@link DefaultEventExecutor}, not an I/O
 * loop: it reads list files and writes the progress file) holds every piece of state; fetches run
 * on one of the gateway's event loops and hop back. {@link #status()}, {@link #startNow()} and
 * {@link #check()} may be called from any thread. A tick each second looks at the clock (the
 * gateway's, injected in tests) and the requests made.
 *
 * <p><b>Reconfiguration.</b> {@link #reconfigure} (a reloaded configuration) hands the new
 * {@code prefetch} to the prefetch's thread, which sets it up as the constructor does (one method,
 * {@code setUp}); a run under way stops at its next object, as at a window's end. Prefetching
 * turned on by a reload starts the thread then; turned off, the thread is kept idle (no ticks, no
 * lists) until it is turned on again or the gateway stops.
 */
public final class Prefetcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Prefetcher.class);
  private static final long TICK_MILLIS = 1000;
  /** The smallest run: below it, a request's overhead outweighs its bytes. */
  private static final int MIN_RUN_BYTES = 64 * 1024;
  private static final long NO_WINDOW = Long.MIN_VALUE;
  private static final long UNREAD_RETRY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final GatewayServices services;
  private final Function<String, CacheKey> keys;
  private final EventLoop loop;
  private final @Nullable Path progressDirectory;
  /** The configuration in force: set up on the prefetch's thread (before it, in the constructor). */
  private volatile PrefetchConfig config;
  /** The configuration last given (set up, or about to be): whether "prefetch now" has lists to go through. */
  private volatile PrefetchConfig requested;
  /** Created with the first configuration that has lists; guarded by this for its creation and close. */
  private volatile @Nullable DefaultEventExecutor executor;
  private final AtomicBoolean nowRequested = new AtomicBoolean();
  private final AtomicLong bytesTotal = new AtomicLong();
  private volatile boolean closed;
  private volatile PrefetchStatus status = PrefetchStatus.off();
  // The prefetch's thread only:
  private @Nullable PrefetchLists lists;
  private @Nullable Targets targets;
  private @Nullable PrefetchMeans means;
  /** {@link Pacing#REAL} unless a test set its own. */
  private volatile Pacing pacing = Pacing.REAL;
  /** What the runs use: whatever {@link #pacing} is at the moment. */
  private final Pacing pacingNow = new Pacing() {
    @Override
    public long nanoTime() {
      return pacing.nanoTime();
    }

    @Override
    public void schedule(ScheduledExecutorService executor, Runnable task, long delayMillis) {
      pacing.schedule(executor, task, delayMillis);
    }
  };
  private @Nullable PrefetchProgress progress;
  private @Nullable PrefetchRun run;
  private @Nullable PrefetchRun lastRun;
  /** A run under way when the configuration changed: it stops at its next object. */
  private @Nullable PrefetchRun superseded;
  private @Nullable ScheduledFuture<?> ticks;
  /** After a run that could read no list, a window starts no other before this. */
  private long retryAfterNanos = System.nanoTime();

  /**
   * Starts prefetching as {@code services}' configuration says (nothing, no thread, without lists).
   *
   * @param keys the key of a client's GET of a path or absolute URL (the purges' reading), throwing
   *     IllegalArgumentException saying why no client could ask for it
   * @param loop the event loop the prefetch's fetches run on
   */
  public Prefetcher(GatewayServices services, Function<String, CacheKey> keys, EventLoop loop) {
    this.services = requireNonNull(services, "services");
    this.keys = requireNonNull(keys, "keys");
    this.loop = requireNonNull(loop, "loop");
    PrefetchConfig first = services.config().prefetch();
    this.config = first;
    this.requested = first;
    this.progressDirectory = !services.storage().hasDisk() ? null : services.config().cache().disk().path();
    services.metrics().registerPrefetch(this, p -> p.bytesTotal.get(), p -> p.status.objectsDone(),
        p -> p.status.objectsFailed(), p -> p.status.objectsTotal());
    if (!first.enabled()) {
      return;
    }
    DefaultEventExecutor thread = newExecutor();
    this.executor = thread;
    thread.execute(() -> setUp(first));
    log.info("prefetch: {}", describe(first));
  }

  private static DefaultEventExecutor newExecutor() {
    return new DefaultEventExecutor(new DefaultThreadFactory("gateway-prefetch", true));
  }

  /**
   * Applies a reloaded prefetch configuration; returns at once (thread-safe). The prefetch's
   * thread then, in the order of the calls:
   *
   * <ul>
   *   <li>always (even when {@code next} equals the configuration in force) reads the origins
   *       again from {@code services.router()}, which may have changed; a run under way keeps
   *       its own;
   *   <li>when {@code next} differs: a run under way stops at its next object, as at a window's end
   *       (the pass goes on at the next run, without fetching again what it did); the lists, the
   *       rate cap, the windows, the time zone, the {@code Accept-Encoding} and the list refresh are
   *       the new ones; the next tick decides as usual (a window open under the new windows, or a
   *       pass asked for on demand and under way, starts a run at once);
   *   <li>turned on (lists where there were none) the prefetch's thread is started, as at a start
   *       with them; turned off, the run stops, the thread is left idle (no ticks) and the status is
   *       {@code idle}, as at a start without lists.
   * </ul>
   *
   * After {@link #close()}, does nothing.
   */
  public void reconfigure(PrefetchConfig next) {
    requireNonNull(next, "next");
    synchronized (this) { // against close(): no executor is created after it
      if (closed) {
        return;
      }
      requested = next;
      DefaultEventExecutor thread = executor;
      if (thread == null) {
        if (!next.enabled()) {
          config = next; // off and still off: nothing runs, nothing to rebuild
          return;
        }
        thread = newExecutor();
        executor = thread;
      }
      try {
        thread.execute(() -> reconfigured(next)); // in the lock: tasks in the order of the calls
      } catch (RejectedExecutionException stopping) {
        // closing
      }
    }
  }

  private void reconfigured(PrefetchConfig next) {
    if (closed) {
      return;
    }
    if (next.equals(config)) {
      if (lists != null) {
        targets = new Targets(services::router, keys);
        means.forgetHeaders();
      }
      return;
    }
    PrefetchRun stopping = run;
    superseded = stopping;
    log.info("prefetch: reconfigured, {}{}", describe(next),
        stopping == null ? "" : "; the run under way stops after its current object");
    setUp(next);
  }

  /**
   * Sets up {@code next} on the prefetch's thread: the means (a new rate cap), the origins, the
   * lists and the ticks, or, without lists, nothing (off). The run under way, if any, keeps its own.
   */
  private void setUp(PrefetchConfig next) {
    config = next;
    retryAfterNanos = System.nanoTime(); // new lists are tried at once
    if (!next.enabled()) {
      lists = null;
      means = null;
      targets = null;
      if (ticks != null) {
        ticks.cancel(false);
        ticks = null;
      }
      publish();
      return;
    }
    DefaultEventExecutor thread = requireNonNull(executor, "executor");
    int sliceSize = services.backgroundFetches().sliceSize();
    int runBytes = next.maxRate() == 0 ? sliceSize
        : (int) Math.min(sliceSize, Math.max(MIN_RUN_BYTES, next.maxRate() / 10));
    TokenBucket bucket = new TokenBucket(next.maxRate(), runBytes, pacingNow::nanoTime);
    means = new PrefetchMeans(services, thread, loop, bucket, pacingNow, runBytes, next.acceptEncoding(), this::counted,
        () -> closed);
    targets = new Targets(services::router, keys);
    lists = new PrefetchLists(next.lists(), next.listRefresh().toNanos(), this::fetchList);
    publish();
    if (ticks == null) {
      ticks = thread.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** What a configuration does, for the log. */
  private static String describe(PrefetchConfig c) {
    if (!c.enabled()) {
      return "off (no lists)";
    }
    return c.lists().size() + " lists, "
        + (c.windows().isEmpty() ? "no windows (runs on POST /prefetch only)"
            : "windows " + c.windows() + " (" + c.timeZone() + ")")
        + ", " + (c.maxRate() == 0 ? "no rate cap" : "at most " + bits(c.maxRate()));
  }

  /** Makes the rate cap read {@code pacing}'s clock and wait by it, from now on; for tests. */
  void pacing(Pacing pacing) {
    this.pacing = requireNonNull(pacing, "pacing");
  }

  /** The means of the runs (their rate cap, their run size), or null before set-up; for tests. */
  @Nullable PrefetchMeans means() {
    return means;
  }

  /** Where prefetching stands now. */
  public PrefetchStatus status() {
    return status;
  }

  /**
   * "Prefetch now": starts a run at once, outside the windows, going on with the pass under way if
   * there is one; does nothing while a run goes. Returns the status: the run's, {@code running}
   * (its counts from 0 when it is about to start), unless prefetching is off (no lists: {@code idle}).
   */
  public PrefetchStatus startNow() {
    DefaultEventExecutor thread = executor;
    if (thread == null || closed || !requested.enabled()) {
      return status;
    }
    nowRequested.set(true);
    try {
      thread.execute(this::tick);
    } catch (RejectedExecutionException stopping) {
      return status;
    }
    PrefetchStatus now = status;
    return now.state() == PrefetchStatus.State.RUNNING ? now
        : new PrefetchStatus(PrefetchStatus.State.RUNNING, 0, 0, 0, 0, null, null, null, null, now.lastCompleted(),
            now.nextWindow());
  }

  /** A rate in bytes per second as the configuration writes it in bits: {@code 20mbit}, {@code 500kbit}. */
  private static String bits(long bytesPerSecond) {
    long bits = bytesPerSecond * 8;
    return bits % 1_000_000 == 0 ? bits / 1_000_000 + "mbit"
        : bits % 1000 == 0 ? bits / 1000 + "kbit" : bits + " bit/s";
  }

  /** Looks at the clock and the requests now rather than at the next tick; completes with the status after. */
  public CompletableFuture<PrefetchStatus> check() {
    DefaultEventExecutor thread = executor;
    if (thread == null) {
      return CompletableFuture.completedFuture(status);
    }
    CompletableFuture<PrefetchStatus> checked = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        tick();
        checked.complete(status);
      });
    } catch (RejectedExecutionException stopping) {
      checked.complete(status);
    }
    return checked;
  }

  /** A tick that throws (a bug) is logged: the ticks go on (a periodic task that throws stops). */
  private void tick() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      log.warn("prefetch: {}", e.toString(), e);
    }
  }

  private void checkNow() {
    if (closed || lists == null) {
      nowRequested.set(false); // asked for while off: not remembered until turned on
      return;
    }
    if (run != null) {
      nowRequested.set(false); // a run goes: a request for one is answered by it
      publish();
      return;
    }
    if (!services.storage().loaded()) {
      publish(); // what is held is known once the index is loaded
      return;
    }
    if (progress == null) {
      progress = PrefetchProgress.load(progressDirectory);
      if (progress.passUnderWay()) {
        log.info("prefetch: the pass started at {} has done {} objects; it goes on at the next run",
            Instant.ofEpochMilli(progress.passStartMillis()), progress.doneCount());
      }
    }
    long window = currentWindow();
    boolean mayRetry = System.nanoTime() - retryAfterNanos >= 0;
    if (nowRequested.getAndSet(false)) {
      startRun(true);
    } else if (mayRetry && progress.passUnderWay() && progress.passManual()) {
      startRun(true); // asked for before a restart: it goes on at once
    } else if (mayRetry && window != NO_WINDOW && !progress.completedIn(window)) {
      startRun(false);
    }
    publish();
  }

  private void startRun(boolean manual) {
    long now = services.clock().millis();
    if (!progress.passUnderWay()) {
      progress.startPass(now, manual);
    }
    PrefetchRun started = new PrefetchRun(new Owner(), means, lists, targets, progress, manual,
        Instant.ofEpochMilli(now));
    run = started;
    log.info("prefetch run started ({}), {} objects of the pass done already", manual ? "on demand" : "window",
        progress.doneCount());
    started.start();
  }

  /** Tells the prefetch's state to the run. */
  private final class Owner implements PrefetchRun.Owner {
    @Override
    public boolean mayGoOn(PrefetchRun r) {
      return !closed && r != superseded && (r.manual() || currentWindow() != NO_WINDOW);
    }

    @Override
    public void paused(PrefetchRun r, boolean unread) {
      boolean reconfigured = r == superseded;
      if (unread && !reconfigured) { // the old lists' failure says nothing of the new ones
        retryAfterNanos = System.nanoTime() + UNREAD_RETRY_NANOS;
      }
      ended(r);
      String why = closed ? "stopping" : reconfigured ? "reconfigured"
          : unread ? "no list could be read; trying again in a minute" : "window ended";
      log.info("prefetch run paused ({}): {} of {} objects done, {} failed, {} bytes", why, r.done(), r.total(),
          r.failed(), r.bytes());
    }

    @Override
    public void completed(PrefetchRun r) {
      progress.completePass(services.clock().millis(), currentWindow());
      ended(r);
      log.info("prefetch run completed: {} of {} objects done, {} failed, {} bytes", r.done(), r.total(), r.failed(),
          r.bytes());
    }

    @Override
    public void changed() {
      publish();
    }

    private void ended(PrefetchRun r) {
      if (run == r) {
        run = null;
      }
      lastRun = r;
      publish();
      if (r == superseded) {
        superseded = null;
        try {
          requireNonNull(executor, "executor").execute(Prefetcher.this::tick); // the new configuration decides now
        } catch (RejectedExecutionException stopping) {
          // closing
        }
      }
    }
  }

  /** The start of the window occurrence open now (the earliest if several are), or {@link #NO_WINDOW}. */
  private long currentWindow() {
    ZonedDateTime now = Instant.ofEpochMilli(services.clock().millis()).atZone(config.timeZone());
    long earliest = NO_WINDOW;
    for (PrefetchWindow window : config.windows()) {
      ZonedDateTime start = window.occurrenceAt(now);
      if (start != null) {
        long millis = start.toInstant().toEpochMilli();
        earliest = earliest == NO_WINDOW ? millis : Math.min(earliest, millis);
      }
    }
    return earliest;
  }

  private @Nullable Instant nextWindow() {
    ZonedDateTime now = Instant.ofEpochMilli(services.clock().millis()).atZone(config.timeZone());
    Instant next = null;
    for (PrefetchWindow window : config.windows()) {
      Instant start = window.nextStart(now).toInstant();
      next = next == null || start.isBefore(next) ? start : next;
    }
    return next;
  }

  /** Publishes the status the management port and the metrics read. */
  private void publish() {
    if (lists == null) {
      status = PrefetchStatus.off(); // off, as at a start without lists
      return;
    }
    PrefetchRun shown = run != null ? run : lastRun;
    PrefetchStatus.State state;
    if (run != null) {
      state = PrefetchStatus.State.RUNNING;
    } else if (progress != null && !progress.passUnderWay() && progress.lastCompleted() != null) {
      state = PrefetchStatus.State.DONE;
    } else {
      state = config.windows().isEmpty() ? PrefetchStatus.State.IDLE : PrefetchStatus.State.WAITING;
    }
    String lastError = shown != null && shown.lastError() != null ? shown.lastError()
        : lists == null ? null : lists.lastError();
    PrefetchTarget current = shown == null ? null : shown.current();
    status = new PrefetchStatus(state,
        shown == null ? 0 : shown.done(), shown == null ? 0 : shown.failed(), shown == null ? 0 : shown.total(),
        shown == null ? 0 : shown.bytes(), current == null ? null : current.list(),
        current == null ? null : current.toString(), lastError, shown == null ? null : shown.started(),
        progress == null ? null : progress.lastCompleted(), nextWindow());
  }

  private void counted(long bytes) {
    bytesTotal.addAndGet(bytes);
    PrefetchRun r = run;
    if (r != null) {
      r.counted(bytes);
    }
  }

  /** GETs a list given by URL from its origin (not through the cache). */
  private CompletableFuture<byte[]> fetchList(String url) {
    Targets origins = targets;
    if (origins == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("prefetching is off"));
    }
    PrefetchTarget target;
    try {
      target = origins.resolve(url, url);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.HOST, target.route().authority())
        .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP)
        .set(HttpHeaderNames.USER_AGENT, PrefetchMeans.USER_AGENT)
        .add(HttpHeaderNames.VIA, services.via());
    return OriginDocument.get(services.originClient(), target.route(), target.route().targetFor(target.target()),
        headers, loop, PrefetchLists.MAX_LIST_BYTES);
  }

  /**
   * Stops: no fetch is started any more (one in flight ends on its own or with the gateway's
   * loops); the progress kept so far stays for the next start.
   */
  @Override
  public void close() {
    DefaultEventExecutor thread;
    synchronized (this) {
      closed = true;
      thread = executor;
    }
    if (thread != null) {
      // Waited for: the progress file is not written after the gateway stopped.
      thread.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }
}
