package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CacheRules;
import fr.acclermont.gateway.cache.PassMemory;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.cache.Variants;
import io.netty.channel.EventLoop;
import fr.acclermont.gateway.cache.Watchers;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Starts slice fetches ({@link SliceFetch}): the probe that brings an object's head with its first
 * bytes, demand fetches of the bytes a reader waits for, and background fills of the rest of a
 * partly present slice. Holds what every fetch shares, the coordinator of heads in flight
 * included. The client-facing side sees it as {@link Fetches}, the prefetch as {@link
 * BackgroundFetches}. Thread-safe.
 */
public final class SliceFetcher implements Fetches, BackgroundFetches {

  /**
   * The most bytes a background fill fetches at once, a sixteenth of a 1 MiB slice: a reader that
   * needs a byte behind a fill in progress waits for at most this much of it, and fills yield to
   * demand between runs; {@link FetchLimiter#BACKGROUND_PLACES} of them in flight keep an idle
   * uplink busy across the origin's latency.
   */
  static final int FILL_RUN_BYTES = 64 * 1024;

  final OriginClient originClient;
  final Storage storage;
  final FetchCoordinator coordinator = new FetchCoordinator();
  final PassMemory passes;
  final Clock clock;
  final int sliceSize;
  final boolean finishUnwatched;
  private final Supplier<CacheRules> rules;
  final Variants variants;

  /**
   * @param sliceSize the size of a slice, the unit of fetching and storage
   * @param finishUnwatched whether a demand fetch that nobody watches any longer still completes
   * @param rules the operator's caching choices (heuristic freshness) now: a reload may change them
   * @param variants what URLs vary on
   */
  public SliceFetcher(OriginClient originClient, Storage storage, PassMemory passes, Clock clock, int sliceSize, boolean finishUnwatched,
      Supplier<CacheRules> rules, Variants variants) {
    this.originClient = requireNonNull(originClient, "originClient");
    this.storage = requireNonNull(storage, "storage");
    this.passes = requireNonNull(passes, "passes");
    this.clock = requireNonNull(clock, "clock");
    this.sliceSize = sliceSize;
    this.finishUnwatched = finishUnwatched;
    this.rules = requireNonNull(rules, "rules");
    this.variants = requireNonNull(variants, "variants");
  }

  /** The operator's caching choices now. */
  CacheRules rules() {
    return rules.get();
  }

  @Override
  public int sliceSize() {
    return sliceSize;
  }

  @Override
  public FetchCoordinator.Lease joinOrLead(CacheKey key, long @Nullable [] bounds) {
    return coordinator.joinOrLead(key, bounds);
  }

  @Override
  public PendingObject sideWait(PendingObject shared) {
    return coordinator.sideWait(shared);
  }

  @Override
  public void abandon(PendingObject pending) {
    coordinator.abandon(pending);
  }

  @Override
  public void probe(PendingObject pending, PendingObject.@Nullable Reservation reservation, FetchRequest request,
      String range, EventLoop loop) {
    sideProbe(pending, pending, reservation, request, range, loop);
  }

  @Override
  public void revalidate(PendingObject pending, StoredObject stale, PendingObject.@Nullable Reservation reservation,
      FetchRequest request, String range, EventLoop loop) {
    ProbeFetch fetch = new ProbeFetch(this, pending, pending, reservation, request, range, loop);
    fetch.revalidating(stale);
    request.route().limiter().submit(fetch.task(), FetchKind.DEMAND);
  }

  @Override
  public void sideProbe(PendingObject pending, PendingObject mine, PendingObject.@Nullable Reservation reservation,
      FetchRequest request, String range, EventLoop loop) {
    ProbeFetch fetch = new ProbeFetch(this, pending, mine, reservation, request, range, loop);
    request.route().limiter().submit(fetch.task(), FetchKind.DEMAND);
  }

  @Override
  public void fetch(StoredObject object, Slice slice, Slice.Claim claim, FetchRequest request, EventLoop loop,
      FetchKind kind) {
    storage.fill(object, slice, claim, loop, () -> fromOrigin(object, slice, claim, request, loop, kind));
  }

  private void fromOrigin(StoredObject object, Slice slice, Slice.Claim claim, FetchRequest request, EventLoop loop,
      FetchKind kind) {
    RangeFetch fetch = new RangeFetch(this, object, slice, claim, request, loop, kind);
    request.route().limiter().submit(fetch.task(), kind);
  }

  @Override
  public void backgroundProbe(CacheKey key, @Nullable StoredObject stale, FetchRequest request, String range,
      EventLoop loop, Predicate<CacheKey> needed, ProbeEnd done) {
    FetchLimiter limiter = request.route().limiter();
    limiter.submit(new FetchLimiter.Task() {
      @Override
      public void start() {
        limiter.startOn(loop, () -> startBackgroundProbe(key, stale, request, range, loop, needed, done), this,
            FetchKind.BACKGROUND);
      }

      @Override
      public void cancel() {
        done.ended(null, 0, false);
      }
    }, FetchKind.BACKGROUND);
  }

  private void startBackgroundProbe(CacheKey key, @Nullable StoredObject stale, FetchRequest request, String range,
      EventLoop loop, Predicate<CacheKey> needed, ProbeEnd done) {
    FetchLimiter limiter = request.route().limiter();
    if (!needed.test(key)) {
      limiter.done(FetchKind.BACKGROUND);
      done.ended(null, 0, true);
      return;
    }
    FetchCoordinator.Lease lease = coordinator.joinOrLead(key);
    PendingObject pending = lease.pending();
    if (!lease.leader()) {
      limiter.done(FetchKind.BACKGROUND); // a client's probe is in flight: wait for it without holding a place
      whenEnded(pending, loop, () -> done.ended(pending, 0, true));
      return;
    }
    ProbeFetch fetch = new ProbeFetch(this, pending, pending, null, request, range, loop, FetchKind.BACKGROUND);
    if (stale != null) {
      fetch.revalidating(stale);
    }
    fetch.onEnd((bytes, ok) -> done.ended(pending, bytes, ok));
    fetch.start();
  }

  /** Runs {@code then} on {@code loop} once {@code pending}'s wait has ended. */
  private static void whenEnded(PendingObject pending, EventLoop loop, Runnable then) {
    EndWatcher watcher = new EndWatcher(pending, loop, then);
    watcher.registration = pending.watch(watcher);
    watcher.onChange(); // it may have ended before the registration
  }

  /** Watches an object's wait for its end, once. Event loop of the prefetch. */
  private static final class EndWatcher implements Watchers.Watcher {
    private final PendingObject pending;
    private final EventLoop loop;
    private final Runnable then;
    private Watchers.@Nullable Registration registration;
    private boolean told;

    EndWatcher(PendingObject pending, EventLoop loop, Runnable then) {
      this.pending = pending;
      this.loop = loop;
      this.then = then;
    }

    @Override
    public EventExecutor executor() {
      return loop;
    }

    @Override
    public void onChange() {
      if (told || pending.state() == PendingObject.State.AWAITING) {
        return;
      }
      told = true;
      if (registration != null) {
        registration.cancel();
      }
      then.run();
    }
  }

  @Override
  public void backgroundRun(StoredObject object, int index, int maxBytes, FetchRequest request, EventLoop loop,
      FetchEnd done) {
    FetchLimiter limiter = request.route().limiter();
    limiter.submit(new FetchLimiter.Task() {
      @Override
      public void start() {
        limiter.startOn(loop, () -> startBackgroundRun(object, index, maxBytes, request, loop, done), this,
            FetchKind.BACKGROUND);
      }

      @Override
      public void cancel() {
        done.ended(0, false);
      }
    }, FetchKind.BACKGROUND);
  }

  private void startBackgroundRun(StoredObject object, int index, int maxBytes, FetchRequest request, EventLoop loop,
      FetchEnd done) {
    FetchLimiter limiter = request.route().limiter();
    if (storage.inFile(object.slice(index))) {
      limiter.done(FetchKind.BACKGROUND);
      done.ended(0, true);
      return;
    }
    Slice slice = object.rangeable() ? storage.slice(object, index) : null;
    if (slice == null) {
      limiter.done(FetchKind.BACKGROUND);
      done.ended(0, false);
      return;
    }
    Slice.@Nullable Claim claim = slice.claimFirstGap(maxBytes);
    if (claim == null) {
      slice.release();
      limiter.done(FetchKind.BACKGROUND);
      done.ended(0, true);
      return;
    }
    RangeFetch fetch = new RangeFetch(this, object, slice, claim, request, loop, FetchKind.BACKGROUND);
    fetch.onEnd(done);
    fetch.start();
  }

  /**
   * Fills the missing runs of {@code slice} in the background, a run of at most
   * {@link #FILL_RUN_BYTES} at a time, once no demand fetch waits; takes over the caller's
   * reference. The run is claimed only when the fill starts, so a reader never waits on a fill
   * that is still queued: it fetches its bytes itself.
   */
  void fillRest(StoredObject object, Slice slice, FetchRequest request, EventLoop loop) {
    if (!finishUnwatched || slice.isComplete()) {
      slice.release();
      return;
    }
    FetchLimiter limiter = request.route().limiter();
    limiter.submit(new FetchLimiter.Task() {
      @Override
      public void start() {
        limiter.startOn(loop, () -> {
          Slice.@Nullable Claim claim = slice.claimFirstGap(FILL_RUN_BYTES);
          if (claim == null) {
            slice.release();
            limiter.done(FetchKind.BACKGROUND);
            return;
          }
          new RangeFetch(SliceFetcher.this, object, slice, claim, request, loop, FetchKind.BACKGROUND).start();
        }, this, FetchKind.BACKGROUND);
      }

      @Override
      public void cancel() {
        slice.release();
      }
    }, FetchKind.BACKGROUND);
  }
}
