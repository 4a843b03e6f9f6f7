package fr.acclermont.gateway.origin;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.Slice;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The fetch side as the client-facing side sees it: the one seam between {@code server} and the
 * fetches that fill the store. A client that misses leads or joins the wait for an object's head
 * ({@link #joinOrLead}), the leader sends its probe ({@link #probe}, {@link #revalidate}), a
 * joiner with a range elsewhere sends a side probe ({@link #sideProbe}), and a reader that finds
 * bytes missing in a published object fills the run it claimed ({@link #fetch}). Implemented by
 * {@link SliceFetcher}; the prefetch uses {@link BackgroundFetches}. Thread-safe; the fetches run
 * on the event loop they are given.
 */
public interface Fetches {

  /** The size of a slice, the unit of fetching and storage (a probe asks for at most one). */
  int sliceSize();

  /**
   * Joins the wait for the head of {@code key}, or leads a new one that reserves no run (then the
   * caller probes or abandons).
   */
  default FetchCoordinator.Lease joinOrLead(CacheKey key) {
    return joinOrLead(key, null);
  }

  /**
   * As {@link #joinOrLead(CacheKey)}, a new lead's probe run {@code bounds} reserved in the same step
   * ({@link FetchCoordinator#joinOrLead(CacheKey, long[])}).
   */
  FetchCoordinator.Lease joinOrLead(CacheKey key, long @org.jspecify.annotations.Nullable [] bounds);

  /**
   * A wait of its own for a client that joined {@code shared} but sends a side probe of its range:
   * ended with {@code shared}, or by its own probe's answer.
   */
  PendingObject sideWait(PendingObject shared);

  /** The led wait ends without a probe (the object was found stored meanwhile): its joiners look again. */
  void abandon(PendingObject pending);

  /**
   * Sends the probe of {@code pending} (whose lease the caller leads): a GET with {@code range}
   * (at most a slice of the bytes the caller wants first), which the caller reserved (null for a
   * suffix). Its answer publishes, abandons or fails the object.
   */
  void probe(PendingObject pending, PendingObject.@Nullable Reservation reservation, FetchRequest request,
      String range, EventLoop loop);

  /**
   * Sends the probe of {@code pending} as a revalidation of {@code stale} (RFC 9111 4.3.1): the same
   * GET with {@code range}, made conditional on the stored validators. A 304 refreshes the stored
   * object's headers and publishes it, with its slices kept; any other answer is read as a probe's.
   */
  void revalidate(PendingObject pending, StoredObject stale, PendingObject.@Nullable Reservation reservation,
      FetchRequest request, String range, EventLoop loop);

  /**
   * Sends a side probe for a client that waits on {@code mine} ({@link #sideWait}): its range of an
   * object whose head {@code pending} still awaits. Whichever head arrives first publishes the
   * object; the other checks it is the same version and claims its run.
   */
  void sideProbe(PendingObject pending, PendingObject mine, PendingObject.@Nullable Reservation reservation,
      FetchRequest request, String range, EventLoop loop);

  /**
   * Fills the run of {@code claim} in {@code slice} of {@code object}: from the slice's file when
   * the disk tier holds it, else from the origin by range. Takes over the caller's reference to
   * {@code slice}.
   *
   * @param kind for a reader that waits for these bytes, or will reach them soon (read-ahead)
   */
  void fetch(StoredObject object, Slice slice, Slice.Claim claim, FetchRequest request, EventLoop loop,
      FetchKind kind);
}
