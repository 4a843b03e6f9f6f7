package fr.acclermont.gateway.prefetch;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CacheRules;
import fr.acclermont.gateway.cache.RequestDirectives;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.origin.FetchFailure;
import fr.acclermont.gateway.origin.FetchRequest;
import fr.acclermont.gateway.origin.PendingObject;
import fr.acclermont.gateway.server.GatewayServices;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The prefetch of one object, through the same path as a client's miss, so that what it stores is
 * what a client would have stored (same key, same variant, same rules), with a background
 * priority:
 * <ol>
 *   <li>Looked up as a client's GET with the prefetch's headers would be. Held and fresh (or, for an
 *       object this pass did before a restart, held at all): only its missing slices are fetched,
 *       none if it is whole; no request otherwise.
 *   <li>Held but stale: revalidated, conditional on its validators (a 304 keeps its bytes), else
 *       probed like a miss. Not held: probed. The probe is sent when the origin's limiter gives a
 *       background place ({@link fr.acclermont.gateway.origin.SliceFetcher#backgroundProbe}); if a
 *       client's probe of it is in flight by then, the prefetch waits for that one.
 *   <li>The missing slices, one run at a time ({@code runBytes} at most), each sent when a background
 *       place is free and the rate cap allows ({@link TokenBucket}).
 * </ol>
 * A fetch that fails because the object changed at the origin, or an answer that taught the URL's
 * {@code Vary}, starts over once more. Runs on the prefetch's thread: each fetch's end hops back to it.
 */
final class ObjectPrefetch {

  /** How an object's prefetch ended. */
  enum Outcome {
    /** Held and fresh, whole: no request. */
    FRESH,
    /** Held, stale, confirmed by a 304 (and whole, or completed). */
    REVALIDATED,
    /** Bytes came from the origin: it was missing, changed, or partly held. */
    FETCHED,
    /** The origin's answer may not be stored (or the URL holds its cap of variants). */
    NOT_STORED,
    /** The origin failed, or the prefetch was stopped. */
    FAILED;

    /** Whether the object is held now, as the pass wanted. */
    boolean done() {
      return this == FRESH || this == REVALIDATED || this == FETCHED;
    }
  }

  /**
   * How it ended.
   *
   * @param object the stored object, when done
   * @param error why it is not, otherwise
   */
  record Result(Outcome outcome, @Nullable StoredObject object, @Nullable String error) {
  }

  /** Starts over at most this often (a change at the origin, a Vary learnt). */
  private static final int MAX_ATTEMPTS = 3;

  private final PrefetchMeans means;
  private final PrefetchTarget target;
  private final boolean heldSuffices;
  private final FetchRequest request;
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private int attempts;
  private boolean fetched;
  private boolean revalidated;
  /** The slice being filled, and the runs it may still take. */
  private int runsSlice = -1;
  private int runsLeft;

  /**
   * @param heldSuffices whether a held copy is taken as it is, stale or not (an object this pass
   *     did before it was stopped)
   */
  ObjectPrefetch(PrefetchMeans means, PrefetchTarget target, boolean heldSuffices) {
    this.means = means;
    this.target = target;
    this.heldSuffices = heldSuffices;
    this.request = means.request(target);
  }

  /** Prefetches the object; completes on the prefetch's thread. */
  CompletableFuture<Result> run() {
    attempt();
    return result;
  }

  private void attempt() {
    if (++attempts > MAX_ATTEMPTS) {
      finish(Outcome.FAILED, null, "changed at the origin while it was fetched, " + MAX_ATTEMPTS + " times");
      return;
    }
    GatewayServices services = means.services();
    CacheKey key = services.variants().keyFor(target.primary(), request.clientHeaders());
    if (services.passes().passes(key)) {
      finish(Outcome.NOT_STORED, null, "the origin's last answer may not be stored");
      return;
    }
    StoredObject stored = lookup(key);
    if (stored != null && (heldSuffices || fresh(stored))) {
      fill(stored, 0);
      return;
    }
    if (stored == null && services.variants().full(key, means.storage()::holds)) {
      finish(Outcome.NOT_STORED, null, "its URL holds cache.max-variants variants already");
      return;
    }
    StoredObject stale = stored != null && (stored.etag() != null || stored.lastModified() != null) ? stored : null;
    String range = "bytes=0-" + (Math.min(means.runBytes(), means.fetches().sliceSize()) - 1);
    paced(() -> means.fetches().backgroundProbe(key, stale, request, range, means.loop(), this::needed,
        (pending, bytes, ok) -> onPrefetchThread(() -> probed(pending, bytes))));
  }

  /** Asked on the fetch's loop when the probe may go: not if a client fetched the object meanwhile. */
  private boolean needed(CacheKey key) {
    StoredObject stored = lookup(key);
    return stored == null || !fresh(stored);
  }

  private void probed(@Nullable PendingObject pending, long bytes) {
    means.account(bytes);
    if (pending == null) {
      if (means.closed()) {
        finish(Outcome.FAILED, null, "stopped");
      } else {
        attempt(); // fresh meanwhile (a client fetched it): looked up again
      }
      return;
    }
    switch (pending.state()) {
      case PUBLISHED -> {
        StoredObject object = pending.object();
        revalidated |= pending.originStatus() == 304;
        fetched |= bytes > 0 || pending.originStatus() != 304;
        fill(object, 0);
      }
      case ABANDONED -> {
        CacheKey now = means.services().variants().keyFor(target.primary(), request.clientHeaders());
        if (!now.equals(pending.key())) {
          attempt(); // the answer taught the URL's Vary: its variant lives under another key
        } else {
          finish(Outcome.NOT_STORED, null, "the origin's answer may not be stored");
        }
      }
      default -> finish(Outcome.FAILED, null, pending.originStatus() > 0
          ? "the origin answered " + pending.originStatus()
          : FetchFailure.TIMEOUT.equals(pending.failure()) ? "the origin did not answer in time" : "the origin could not be reached");
    }
  }

  /** Fetches the missing slices of {@code object} from slice {@code index} on, one run at a time. */
  private void fill(StoredObject object, int index) {
    while (index < object.sliceCount() && held(object, index)) {
      index++;
    }
    if (index == object.sliceCount()) {
      finish(fetched ? Outcome.FETCHED : revalidated ? Outcome.REVALIDATED : Outcome.FRESH, object, null);
      return;
    }
    if (means.closed()) {
      finish(Outcome.FAILED, null, "stopped");
      return;
    }
    if (!object.rangeable()) {
      // Fetched whole (the origin ignores ranges) and a slice is gone: the whole object again.
      means.storage().lostSlice(object);
      attempt();
      return;
    }
    if (index != runsSlice) {
      runsSlice = index;
      // Twice the runs the slice needs, for a slice the memory tier evicts between two runs.
      runsLeft = 2 * (object.sliceLength(index) / means.runBytes() + 1);
    }
    if (runsLeft-- <= 0) {
      finish(Outcome.FAILED, null, "slice " + index + " could not be kept in memory while it was filled");
      return;
    }
    int slice = index;
    paced(() -> means.fetches().backgroundRun(object, slice, means.runBytes(), request, means.loop(),
        (bytes, ok) -> onPrefetchThread(() -> ran(object, slice, bytes, ok))));
  }

  private void ran(StoredObject object, int index, long bytes, boolean ok) {
    means.account(bytes);
    fetched |= bytes > 0;
    if (!ok) {
      StoredObject now = means.storage().inMemory(object.key());
      if (now == null || now.version() != object.version()) {
        attempt(); // the object changed at the origin: its stored version was dropped
      } else {
        finish(Outcome.FAILED, null, "a fetch of slice " + index + " failed");
      }
      return;
    }
    // Nothing claimed: the slice is whole, or a client's fetch is bringing its missing bytes.
    fill(object, bytes == 0 ? index + 1 : index);
  }

  /** Whether slice {@code index} of {@code object} is whole in memory or on disk. */
  private boolean held(StoredObject object, int index) {
    return means.storage().complete(object.slice(index));
  }

  private @Nullable StoredObject lookup(CacheKey key) {
    return means.storage().object(key);
  }

  private boolean fresh(StoredObject stored) {
    GatewayServices services = means.services();
    return services.rules().fit(stored, RequestDirectives.NONE, services.clock().millis()) == CacheRules.Fit.FRESH;
  }

  /** Runs {@code start} once the rate cap allows the next fetch. */
  private void paced(Runnable start) {
    long delay = means.bucket().delayMillis();
    try {
      if (delay == 0) {
        guarded(start);
      } else {
        means.pacing().schedule(means.executor(), () -> guarded(start), delay);
      }
    } catch (RejectedExecutionException stopped) {
      finish(Outcome.FAILED, null, "stopped");
    }
  }

  private void onPrefetchThread(Runnable step) {
    try {
      means.executor().execute(() -> guarded(step));
    } catch (RejectedExecutionException stopped) {
      finish(Outcome.FAILED, null, "stopped");
    }
  }

  /** Runs a step; a step that throws (a bug) fails this object rather than leave its run waiting for ever. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      finish(Outcome.FAILED, null, e.toString());
      throw e;
    }
  }

  private void finish(Outcome outcome, @Nullable StoredObject object, @Nullable String error) {
    result.complete(new Result(outcome, object, error));
  }
}
