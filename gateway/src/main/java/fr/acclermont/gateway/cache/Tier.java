package fr.acclermont.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One tier of the store, memory ({@link MemoryTier}) or disk ({@link DiskTier}): what both do.
 * Each holds objects' metadata ({@link StoredObject}) and their slices, each decides on its own
 * what to keep (W-TinyLFU over its own weight), and each tells an {@link EvictionListener} of its
 * evictions. How they work together (which serves a read, what is admitted where, what a removal
 * removes) is {@link Storage}'s to say: the server and the fetch side use only {@code Storage}.
 * Thread-safe.
 */
public interface Tier extends AutoCloseable {

  /** An object's metadata, or null; a use of it (a request looked it up). */
  @Nullable StoredObject object(CacheKey key);

  /** Whether an object's metadata is held. Quiet: not a use. */
  boolean holds(CacheKey key);

  /** Whether a slice is held with every byte present. Quiet: not a use. */
  boolean hasCompleteSlice(SliceKey key);

  /** Records one use of a held slice (a client read it); nothing if it is absent. */
  void use(SliceKey key);

  /** Admits an object's metadata, replacing an older copy of the same key (whose slices go). */
  void storeObject(StoredObject object);

  /** Removes an object and its slices. */
  void invalidate(CacheKey key);

  /**
   * Removes every object whose key {@code which} accepts, and its slices; completes with the
   * objects removed, each once. May scan on the caller's thread: call it off the event loops.
   */
  CompletableFuture<List<StoredObject>> purge(Predicate<CacheKey> which);

  /** The bytes the tier holds, as weighed for its bound. */
  long weightedBytes();

  /** The tier's index, whose statistics are recorded, for metrics binders only. */
  Cache<?, ?> meteredCache();

  /** Releases what the tier holds (memory) or finishes its writes and unlocks (disk). */
  @Override
  void close();
}
