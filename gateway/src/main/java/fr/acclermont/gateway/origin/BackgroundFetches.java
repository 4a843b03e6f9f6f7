package fr.acclermont.gateway.origin;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.channel.EventLoop;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The fetch side as the prefetch sees it: probes and runs sent only when the origin's limiter gives
 * them a background place (no demand fetch running or waiting), so that a prefetch never delays a
 * class. Implemented by {@link SliceFetcher}, beside the clients' {@link Fetches}. Thread-safe.
 */
public interface BackgroundFetches {

  /** How a prefetch's fetch ended; called once, on the fetch's event loop. */
  @FunctionalInterface
  interface FetchEnd {
    /**
     * @param bodyBytes the body bytes received from the origin (0 when nothing was sent)
     * @param ok whether every byte the fetch claimed was written
     */
    void ended(long bodyBytes, boolean ok);
  }

  /** How a prefetch's probe ended; called once, on the probe's event loop. */
  @FunctionalInterface
  interface ProbeEnd {
    /**
     * @param pending the object's wait, ended (published, abandoned or failed: read its state), or
     *     null when no probe was needed any longer ({@code needed} said so) or none could be sent (shutdown)
     * @param bodyBytes the body bytes this probe received (0 when it joined a client's probe)
     * @param ok whether the probe sent wrote every byte it claimed
     */
    void ended(@Nullable PendingObject pending, long bodyBytes, boolean ok);
  }

  /** The size of a slice: a prefetch run asks for at most one. */
  int sliceSize();

  /**
   * A prefetch's probe of {@code key}: sent when the origin's limiter gives it a background place,
   * as a revalidation of {@code stale} when it is given (it must have validators), a plain probe of
   * {@code range} otherwise. The object's wait is led only when the probe is sent, so a client never
   * waits on a probe that is still queued; if a client's probe of the object is in flight by then,
   * the prefetch waits for that one instead. The probe fills no rest of its slice: the prefetch
   * fetches the rest itself, paced.
   *
   * @param needed asked on {@code loop} when the place is given: false skips the probe (a client
   *     fetched the object meanwhile)
   * @param done told once, on {@code loop}, when the probe (or the client's probe it joined) ended
   */
  void backgroundProbe(CacheKey key, @Nullable StoredObject stale, FetchRequest request, String range,
      EventLoop loop, Predicate<CacheKey> needed, ProbeEnd done);

  /**
   * A prefetch's fetch of the first missing run of slice {@code index} of {@code object}, at most
   * {@code maxBytes}: claimed and sent when the origin's limiter gives it a background place, so
   * that a client never waits on a run still queued. {@code done} is told {@code (0, true)} when
   * there was nothing to claim (the slice is complete, on disk, or its missing bytes are being
   * fetched for someone else), {@code (0, false)} when the slice cannot be filled by range.
   */
  void backgroundRun(StoredObject object, int index, int maxBytes, FetchRequest request, EventLoop loop,
      FetchEnd done);
}
