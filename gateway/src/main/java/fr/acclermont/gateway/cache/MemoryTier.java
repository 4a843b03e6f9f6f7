package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The memory tier: object metadata and body slices in two Caffeine caches. Slices are weighed in
 * bytes and bounded by {@code cache.memory.max-bytes}; W-TinyLFU decides admission and eviction.
 *
 * <p>Ownership: the tier owns one reference to each slice buffer, released in the removal listener
 * whatever the cause (evict, replace, invalidate). Readers take their own reference with
 * {@link #acquireSlice}; since the listener runs asynchronously, a reader may find a buffer that was
 * just released, and then sees a miss (STYLE R4).
 *
 * <p>Consistency: an object's metadata is put only after all its slices, so a reader that finds the
 * metadata finds the slices unless they were evicted since; then it treats the object as a miss.
 * Removing the metadata removes its slices; a slice evicted alone leaves the object unreadable
 * until it is fetched again.
 *
 * <p>Thread-safe.
 */
public final class MemoryTier implements AutoCloseable {

  /** Rough cost of a cache entry beyond its bytes, so empty bodies still weigh something. */
  private static final int ENTRY_OVERHEAD_BYTES = 128;
  /** Metadata entries are small; this bounds their count for pathological catalogs. */
  private static final long MAX_OBJECTS = 1_000_000;

  private final Cache<CacheKey, StoredObject> objects;
  private final Cache<SliceKey, ByteBuf> slices;
  private final long maxObjectBytes;
  private final AtomicLong versions = new AtomicLong(System.nanoTime());
  private final EvictionListener evictionListener;

  /** Notified of each slice evicted for room (not replaced or invalidated). */
  @FunctionalInterface
  public interface EvictionListener {
    /** Called once per evicted slice, from Caffeine's executor. */
    void sliceEvicted();
  }

  /**
   * Creates an empty tier.
   *
   * @param maxBytes the bound on the bytes of all slices
   * @param maxObjectBytes objects larger than this are not stored
   * @param executor where Caffeine runs maintenance and listeners ({@code Runnable::run} in tests)
   * @param evictionListener told of evictions, for metrics
   */
  public MemoryTier(long maxBytes, long maxObjectBytes, Executor executor, EvictionListener evictionListener) {
    requireNonNull(executor, "executor");
    this.evictionListener = requireNonNull(evictionListener, "evictionListener");
    this.maxObjectBytes = maxObjectBytes;
    this.slices = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((SliceKey k, ByteBuf b) -> b.capacity() + ENTRY_OVERHEAD_BYTES)
        .executor(executor)
        .removalListener((SliceKey k, ByteBuf b, RemovalCause cause) -> onSliceRemoved(b, cause))
        .build();
    this.objects = Caffeine.newBuilder()
        .maximumSize(MAX_OBJECTS)
        .executor(executor)
        .scheduler(Scheduler.disabledScheduler())
        .removalListener((CacheKey k, StoredObject o, RemovalCause cause) -> onObjectRemoved(o))
        .build();
  }

  private void onSliceRemoved(@Nullable ByteBuf buffer, RemovalCause cause) {
    if (buffer != null) {
      buffer.release();
    }
    if (cause.wasEvicted()) {
      evictionListener.sliceEvicted();
    }
  }

  private void onObjectRemoved(@Nullable StoredObject object) {
    if (object != null) {
      invalidateSlices(object.key(), object.version(), object.sliceCount());
    }
  }

  /** A fresh version number for a new copy of an object. */
  public long nextVersion() {
    return versions.incrementAndGet();
  }

  /** The largest body this tier stores. */
  public long maxObjectBytes() {
    return maxObjectBytes;
  }

  /** The stored metadata of an object, or null. */
  public @Nullable StoredObject object(CacheKey key) {
    return objects.getIfPresent(key);
  }

  /**
   * A retained duplicate of a slice (the caller releases it), or null when the slice is absent or
   * was released by a concurrent eviction.
   */
  public @Nullable ByteBuf acquireSlice(SliceKey key) {
    ByteBuf buffer = slices.getIfPresent(key);
    if (buffer == null) {
      return null;
    }
    ByteBuf duplicate;
    try {
      duplicate = buffer.retainedDuplicate();
    } catch (IllegalReferenceCountException raced) {
      return null;
    }
    // A pooled buffer released by a concurrent removal can be recycled for another allocation at
    // once, and then the retain above succeeds on someone else's bytes. Caffeine unmaps an entry
    // before its removal listener releases it, so a buffer still mapped had not been released.
    if (slices.policy().getIfPresentQuietly(key) != buffer) {
      duplicate.release();
      return null;
    }
    return duplicate;
  }

  /** Stores a slice; the tier takes ownership of the caller's reference. */
  public void putSlice(SliceKey key, ByteBuf buffer) {
    slices.put(key, buffer);
  }

  /** Publishes a complete object whose slices were all put before. Replaces an older copy. */
  public void putObject(StoredObject object) {
    objects.put(object.key(), object);
  }

  /** Removes an object and its slices (an unsafe method succeeded on its URL, or it is unreadable). */
  public void invalidate(CacheKey key) {
    objects.invalidate(key);
  }

  /** Removes slices of a copy that will never be published (a fill that failed). */
  public void invalidateSlices(CacheKey key, long version, int count) {
    for (int i = 0; i < count; i++) {
      slices.invalidate(new SliceKey(key, version, i));
    }
  }

  /** The bytes held by slices, as weighed. */
  public long weightedBytes() {
    return slices.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
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
