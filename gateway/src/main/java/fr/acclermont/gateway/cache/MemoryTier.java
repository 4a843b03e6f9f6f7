package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The memory tier: object metadata and body slices in two Caffeine caches. Slices are weighed in
 * bytes and bounded by {@code cache.memory.max-bytes}; W-TinyLFU decides admission and eviction.
 *
 * <p>Ownership: the tier owns one reference to each {@link Slice}, released in the removal listener
 * whatever the cause (evict, replace, invalidate). Readers and fetches take their own reference with
 * {@link #slice} or {@link #sliceOrCreate}; since the listener runs asynchronously, a reader may find
 * a slice that was just freed, and then sees it as absent (STYLE R4). Slices are not pooled, so a
 * freed one can never come back as someone else's.
 *
 * <p>Frequencies: W-TinyLFU counts the accesses Caffeine records, so only uses are recorded: a slice's
 * creation (one fetch) and {@link #use} (one client read of a stored slice, from its responder).
 * Every other lookup (presence checks, read-ahead, claims, the responder's own) is quiet ({@code
 * getIfPresentQuietly}): otherwise a one-off URL, looked up several times by the request that
 * fetches it, would count as several requests and catch up with a book a class read.
 *
 * <p>Consistency: an object's metadata is put as soon as its head is known; its slices come and go
 * on their own (fetched on demand, partly present, evicted). A reader that finds a slice missing
 * fetches it again, by range, from the same version. Removing the metadata removes its slices.
 *
 * <p>Thread-safe.
 */
public final class MemoryTier implements Tier {

  /** Rough cost of a cache entry beyond its bytes, so empty bodies still weigh something. */
  private static final int ENTRY_OVERHEAD_BYTES = 128;
  /** The weight the frequency sketch is sized for: a page's asset, not a whole slice. */
  private static final long TYPICAL_SLICE_BYTES = 16 * 1024;
  /** The version of the frequency sketch's placeholders, never a real one ({@link #nextVersion} is positive). */
  private static final long PLACEHOLDER_VERSION = -1;
  private static final CacheKey PLACEHOLDER_OBJECT = new CacheKey("", "", "");
  /** Metadata entries are small; this bounds their count for pathological catalogs. */
  private static final long MAX_OBJECTS = 1_000_000;

  private final Cache<CacheKey, StoredObject> objects;
  private final Cache<SliceKey, Slice> slices;
  private final long maxObjectBytes;
  /**
   * Version numbers start at a random point: versions stored on disk by an earlier run must never
   * be reused for another copy of the same object (its old slice files would look like the new).
   */
  private final AtomicLong versions = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 62));
  private final EvictionListener evictionListener;

  /**
   * Creates an empty tier.
   *
   * @param maxBytes the bound on the bytes of all slices
   * @param maxObjectBytes objects from origins without range support larger than this are not stored
   * @param executor where Caffeine runs maintenance and listeners ({@code Runnable::run} in tests)
   * @param evictionListener told of evictions, for metrics
   */
  public MemoryTier(long maxBytes, long maxObjectBytes, Executor executor, EvictionListener evictionListener) {
    requireNonNull(executor, "executor");
    this.evictionListener = requireNonNull(evictionListener, "evictionListener");
    this.maxObjectBytes = maxObjectBytes;
    long sketchEntries = FrequencySketchPrimer.entries(maxBytes, TYPICAL_SLICE_BYTES);
    int placeholderWeight = (int) Math.min(Integer.MAX_VALUE, FrequencySketchPrimer.placeholderWeight(maxBytes, sketchEntries));
    this.slices = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((SliceKey k, Slice s) -> k.version() == PLACEHOLDER_VERSION ? placeholderWeight
            : s.length() + ENTRY_OVERHEAD_BYTES)
        .executor(executor)
        .removalListener((SliceKey k, Slice s, RemovalCause cause) -> onSliceRemoved(s, cause))
        .recordStats()
        .build();
    // Counts uses from the first request (not from half full), so a book read after a start is kept.
    FrequencySketchPrimer.prime(slices, sketchEntries,
        i -> new SliceKey(PLACEHOLDER_OBJECT, PLACEHOLDER_VERSION, (int) i),
        i -> new Slice(new SliceKey(PLACEHOLDER_OBJECT, PLACEHOLDER_VERSION, (int) i), Unpooled.EMPTY_BUFFER));
    this.objects = Caffeine.newBuilder()
        .maximumSize(MAX_OBJECTS)
        .executor(executor)
        .scheduler(Scheduler.disabledScheduler())
        .removalListener((CacheKey k, StoredObject o, RemovalCause cause) -> onObjectRemoved(o, cause))
        .build();
  }

  private void onSliceRemoved(@Nullable Slice slice, RemovalCause cause) {
    if (slice != null) {
      slice.release();
    }
    if (cause.wasEvicted()) {
      evictionListener.sliceEvicted();
    }
  }

  private void onObjectRemoved(@Nullable StoredObject object, RemovalCause cause) {
    if (object == null) {
      return;
    }
    StoredObject current = cause == RemovalCause.REPLACED ? objects.policy().getIfPresentQuietly(object.key()) : null;
    // A 304 replaces the metadata of the same version (RFC 9111 4.3.4): its slices stay.
    if (current == null || current.version() != object.version()) {
      invalidateSlices(object.key(), object.version(), object.sliceCount());
    }
  }

  /** A fresh version number for a new copy of an object. */
  public long nextVersion() {
    return versions.incrementAndGet();
  }

  /** The largest body stored from an origin that ignores ranges (it must be fetched whole). */
  public long maxObjectBytes() {
    return maxObjectBytes;
  }

  /** The stored metadata of an object, or null. */
  @Override
  public @Nullable StoredObject object(CacheKey key) {
    return objects.getIfPresent(key);
  }

  @Override
  public boolean holds(CacheKey key) {
    return objects.policy().getIfPresentQuietly(key) != null;
  }

  /**
   * A slice with a reference for the caller (who releases it), or null when it is absent or was just
   * freed. Quiet: not a use.
   */
  public @Nullable Slice slice(SliceKey key) {
    Slice slice = slices.policy().getIfPresentQuietly(key);
    return slice != null && slice.tryRetain() ? slice : null;
  }

  /**
   * The slice {@code key}, created empty with {@code length} bytes if absent, with a reference for
   * the caller (who releases it). Atomic per key: two readers get the same slice. Finding it is
   * quiet; creating it counts as one use (Caffeine records every insertion).
   */
  public Slice sliceOrCreate(SliceKey key, int length, ByteBufAllocator allocator) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Slice slice = slices.policy().getIfPresentQuietly(key);
      if (slice == null) {
        slice = slices.get(key, k -> new Slice(k, allocator.directBuffer(length, length)));
      }
      if (slice.tryRetain()) {
        return slice;
      }
      slices.asMap().remove(key, slice); // freed by an eviction that raced with us: make a new one
    }
    // The tier keeps refusing it (full of hotter slices): the caller gets one of its own, unshared.
    return new Slice(key, allocator.directBuffer(length, length));
  }

  /**
   * Records one use of a stored slice for W-TinyLFU: a client read it (once per slice per request).
   * Nothing if it is absent.
   */
  @Override
  public void use(SliceKey key) {
    slices.getIfPresent(key);
  }

  /** Whether a slice is in this tier, whatever is present of it. Quiet. */
  public boolean hasSlice(SliceKey key) {
    return slices.policy().getIfPresentQuietly(key) != null;
  }

  /** Whether a slice is in this tier with every byte present. Quiet. */
  @Override
  public boolean hasCompleteSlice(SliceKey key) {
    Slice slice = slices.policy().getIfPresentQuietly(key);
    return slice != null && slice.isComplete();
  }

  /** Whether every byte of {@code object} in {@code [from, to)} is present now. Quiet. */
  public boolean allPresent(StoredObject object, long from, long to) {
    long position = from;
    while (position < to) {
      int index = (int) (position / object.sliceSize());
      Slice slice = slices.policy().getIfPresentQuietly(object.slice(index));
      long base = (long) index * object.sliceSize();
      if (slice == null) {
        return false;
      }
      int until = slice.presentUntil((int) (position - base));
      if (until == (int) (position - base)) {
        return false;
      }
      position = base + until;
    }
    return true;
  }

  /** Publishes an object's metadata (its slices follow as they are fetched). Replaces an older copy. */
  @Override
  public void storeObject(StoredObject object) {
    objects.put(object.key(), object);
  }

  /**
   * Puts {@code updated} in place of {@code current} only if {@code current} is still the stored
   * copy of its key (or, with {@code current} absent from this tier, if no copy is); false when
   * another took its place meanwhile (a newer version is never overwritten).
   */
  public boolean replaceObject(StoredObject current, StoredObject updated, boolean currentInMemory) {
    return currentInMemory ? objects.asMap().replace(current.key(), current, updated)
        : objects.asMap().putIfAbsent(updated.key(), updated) == null;
  }

  /** Removes an object and its slices (an unsafe method succeeded on its URL, or it is unreadable). */
  @Override
  public void invalidate(CacheKey key) {
    objects.invalidate(key);
  }

  /** Removes {@code object} if it is still the stored copy of its key (not a newer one), and its slices. */
  public void invalidate(StoredObject object) {
    objects.asMap().remove(object.key(), object);
  }

  /**
   * Removes every object whose key {@code which} accepts, and its slices (a purge); returns the
   * objects removed, each once. Scans the metadata: call it off the event loops. An object put
   * while it runs may or may not be removed.
   */
  public List<StoredObject> removeAll(Predicate<CacheKey> which) {
    List<StoredObject> removed = new ArrayList<>();
    for (CacheKey key : objects.asMap().keySet()) {
      if (which.test(key)) {
        StoredObject object = objects.asMap().remove(key);
        if (object != null) {
          removed.add(object);
          // The removal listener does it too, later: now, so that the tier's weight falls at once.
          invalidateSlices(object.key(), object.version(), object.sliceCount());
        }
      }
    }
    return removed;
  }

  /** {@link #removeAll}, done when it returns: the scan runs on the caller's thread. */
  @Override
  public CompletableFuture<List<StoredObject>> purge(Predicate<CacheKey> which) {
    return CompletableFuture.completedFuture(removeAll(which));
  }

  /** Removes the slices of one version of an object. */
  public void invalidateSlices(CacheKey key, long version, int count) {
    for (int i = 0; i < count; i++) {
      slices.invalidate(new SliceKey(key, version, i));
    }
  }

  /** The bytes held by slices, as weighed. */
  @Override
  public long weightedBytes() {
    return slices.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /**
   * The slice cache, whose statistics are recorded, for metrics binders (Micrometer's
   * {@code CaffeineCacheMetrics}) only: everything else goes through this class.
   */
  @Override
  public Cache<?, ?> meteredCache() {
    return slices;
  }

  /** Runs pending maintenance now (tests, shutdown). */
  public void cleanUp() {
    objects.cleanUp();
    slices.cleanUp();
  }

  /** Releases every buffer. */
  @Override
  public void close() {
    objects.invalidateAll();
    slices.invalidateAll();
    cleanUp();
  }
}
