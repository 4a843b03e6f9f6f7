package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The storage contract: the only way from the server and the fetch side to what the gateway holds.
 * Two {@link Tier}s stand behind it, memory ({@link MemoryTier}) and an optional disk ({@link
 * DiskTier}); callers never choose between them, they ask this class. Thread-safe.
 *
 * <h2>Design notes</h2>
 *
 * <p><b>What is held.</b> An object is its metadata ({@link StoredObject}: status, headers,
 * validators, length, a version) and its body cut in slices of {@code cache.slice-size}
 * ({@link Slice}, keyed by {@link SliceKey}: object, version, index). Metadata is published as soon
 * as a probe's head is known; slices come and go on their own, partly present in memory while
 * fetches fill them. The version ties a slice to its copy of the object: a slice of another
 * version is never read for this one, so a changed object never mixes bytes of two copies.
 *
 * <p><b>Admission.</b> Memory admits every slice a fetch creates ({@link #sliceOrCreate}): the
 * fetch writes into it, readers watch it, so a class shares one fetch. W-TinyLFU then decides,
 * weighing bytes, which slices stay. The disk tier admits write-behind, on its own writer thread:
 * an object's metadata when it is published ({@link #publish}), then each slice once it is
 * complete ({@link #sliceCompleted}); never a partial slice, so every file is a whole, checksummed
 * slice. A tier that refuses (memory full of hotter slices, a full disk) costs a refetch later,
 * never a wrong byte.
 *
 * <p><b>Reads, cheapest first</b> ({@link #read}, {@link #fill}): a slice present in memory is
 * written as retained slices of its buffer (no copy); one that memory does not hold at all but
 * whose file was verified since start-up is sent from the file with zero-copy (no memory copy is
 * made, so a disk hit does not evict the memory tier's hot set); otherwise a memory slice is made
 * and its missing bytes are claimed, then filled from the disk file (read and checksummed on the
 * disk tier's executor, never on an event loop) or, when no file holds it or the file turns out
 * corrupt, fetched from the origin by the caller. Metadata found only on disk is copied into memory
 * when a request looks it up ({@link #object}), so its next reader finds it there.
 *
 * <p><b>Eviction and removal.</b> Each tier evicts on its own, and tells its {@link
 * EvictionListener}. Memory evicting an object's metadata drops its slices; a reader that finds a
 * slice missing fetches it again, by range, from the same version. Removal goes through every tier
 * at once: {@link #invalidate} (an unsafe method, a purge of one URL), {@link #changed} (the origin
 * sent another version), {@link #purge}.
 *
 * <p><b>Ownership.</b> Memory owns one reference to each slice it holds, released when the slice
 * is removed for whatever cause; a caller given a {@link Slice} (by {@link #read}, {@link #slice},
 * {@link #sliceOrCreate}) owns one more and releases it. {@link #fill} takes over the caller's
 * reference. Bytes handed out by {@link #readComplete} belong to the receiver.
 */
public final class Storage {

  /** The parts of the store a purge removed, each object once per tier. */
  public record Purged(List<StoredObject> inMemory, List<StoredObject> onDisk) {
  }

  private final MemoryTier memory;
  private final @Nullable DiskTier disk;
  private final ByteBufAllocator allocator;

  /**
   * @param disk the disk tier, or null when {@code cache.disk} is off
   * @param allocator where memory slices and disk reads take their buffers
   */
  public Storage(MemoryTier memory, @Nullable DiskTier disk, ByteBufAllocator allocator) {
    this.memory = requireNonNull(memory, "memory");
    this.disk = disk;
    this.allocator = requireNonNull(allocator, "allocator");
  }

  // ---- objects ----

  /**
   * The stored object: from memory, or from the disk tier (its metadata then goes to memory, and
   * its slices follow as they are read). A use of it.
   */
  public @Nullable StoredObject object(CacheKey key) {
    StoredObject stored = memory.object(key);
    if (stored == null && disk != null) {
      stored = disk.object(key);
      if (stored != null) {
        memory.storeObject(stored);
      }
    }
    return stored;
  }

  /**
   * The copy of an object memory holds now, or null: what readers are served from this moment (a
   * fetch that failed checks whether its version is still the one stored).
   */
  public @Nullable StoredObject inMemory(CacheKey key) {
    return memory.object(key);
  }

  /** Whether an object is stored now, in memory or on disk. Quiet. */
  public boolean holds(CacheKey key) {
    return memory.holds(key) || (disk != null && disk.holds(key));
  }

  /** A fresh version number for a new copy of an object, never one a tier holds. */
  public long nextVersion() {
    return memory.nextVersion();
  }

  /** The largest body stored from an origin that ignores ranges (it must be fetched whole). */
  public long maxObjectBytes() {
    return memory.maxObjectBytes();
  }

  /** Publishes a new or refreshed copy of an object in every tier; it replaces an older copy. */
  public void publish(StoredObject object) {
    memory.storeObject(object);
    if (disk != null) {
      disk.storeObject(object);
    }
  }

  /**
   * Replaces the stored copy of {@code key}, wherever it is, with {@code update}'s result (a
   * HEAD's fields, RFC 9111 4.3.5), unless another copy took its place meanwhile: a newer version
   * is never overwritten. Nothing when no copy is stored.
   */
  public void refresh(CacheKey key, UnaryOperator<StoredObject> update) {
    StoredObject inMemory = memory.object(key);
    StoredObject stored = inMemory != null ? inMemory : disk != null ? disk.object(key) : null;
    if (stored == null) {
      return;
    }
    StoredObject updated = update.apply(stored);
    if (memory.replaceObject(stored, updated, inMemory != null) && disk != null) {
      disk.storeObject(updated);
    }
  }

  // ---- slices: presence ----

  /** Whether every byte of {@code object} in {@code [from, to)} is present in memory now (a memory hit). */
  public boolean allInMemory(StoredObject object, long from, long to) {
    return memory.allPresent(object, from, to);
  }

  /**
   * Whether every slice of {@code object} over {@code [from, to)} is complete in memory or on disk
   * (nothing of it needs the origin); false for an empty range.
   */
  public boolean allStored(StoredObject object, long from, long to) {
    if (from >= to) {
      return false;
    }
    for (int i = (int) (from / object.sliceSize()); (long) i * object.sliceSize() < to; i++) {
      if (!complete(object.slice(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether a slice is complete in memory or on disk. Quiet. */
  public boolean complete(SliceKey key) {
    return memory.hasCompleteSlice(key) || inFile(key);
  }

  /**
   * Whether a complete file of the slice is on disk: a {@link #fill} of it reads the file rather
   * than the origin (served bytes then count as {@code disk}). Quiet.
   */
  public boolean inFile(SliceKey key) {
    return disk != null && disk.hasCompleteSlice(key);
  }

  /** Whether there is a disk tier: what is held survives a restart. */
  public boolean hasDisk() {
    return disk != null;
  }

  /** Whether the disk tier, if any, has rebuilt its index since start-up (what is held is known). */
  public boolean loaded() {
    return disk == null || disk.loaded();
  }

  // ---- slices: reading ----

  /**
   * Slice {@code index} of {@code object} the cheapest way: its verified file when the reader's
   * {@code sink} takes files and memory holds no copy of it at all (a use of the file; no memory
   * copy is made), else the memory slice ({@link #slice}, created empty when it can be filled by
   * range, and a use of it as {@code use} says); null when an object fetched whole lost it from
   * memory.
   */
  public @Nullable SliceRead read(StoredObject object, int index, SliceRead.Sink sink, SliceRead.Use use) {
    SliceKey key = object.slice(index);
    if (sink == SliceRead.Sink.BUFFERS_AND_FILES && disk != null && !memory.hasSlice(key)) {
      SliceFile file = disk.verifiedFile(key, object.sliceLength(index));
      if (file != null) {
        disk.use(key);
        return file;
      }
    }
    Slice slice = slice(object, key, index);
    if (slice == null) {
      return null;
    }
    if (use == SliceRead.Use.COUNTED) {
      memory.use(key);
    }
    return slice;
  }

  /**
   * The verified file of a slice memory holds in part, for a reader whose connection can send a
   * file: the bytes it lacks are sent from there rather than fetched or waited for. Null when no
   * file is verified since start-up.
   */
  public @Nullable SliceFile verifiedFile(Slice slice) {
    return disk == null ? null : disk.verifiedFile(slice.key(), slice.length());
  }

  /**
   * Slice {@code index} of {@code object} in memory with a reference for the caller: created empty
   * if absent and the object can be completed by range; null if absent from an object fetched whole.
   * Quiet.
   */
  public @Nullable Slice slice(StoredObject object, int index) {
    return slice(object, object.slice(index), index);
  }

  /** {@link #slice(StoredObject, int)} with the slice's key already made (one key per read, not two). */
  private @Nullable Slice slice(StoredObject object, SliceKey key, int index) {
    if (!object.rangeable()) {
      return memory.slice(key);
    }
    return memory.sliceOrCreate(key, object.sliceLength(index), allocator);
  }

  /**
   * Slice {@code index} of {@code object} in memory, created empty if absent, with a reference for
   * the caller. Creating it counts as one use.
   */
  public Slice sliceOrCreate(StoredObject object, int index) {
    return memory.sliceOrCreate(object.slice(index), object.sliceLength(index), allocator);
  }

  /**
   * Fills {@code claim}, and every other missing run of {@code slice}, from the slice's file on the
   * disk tier: read and checksummed on the tier's executor, written into the slice on {@code loop}.
   * Runs {@code otherwise} on {@code loop} instead (at once when no file holds the slice, later when
   * the file turns out unreadable or corrupt: it is then dropped), which then owns the claim and the
   * reference. Takes over the caller's reference to {@code slice}.
   */
  public void fill(StoredObject object, Slice slice, Slice.Claim claim, EventExecutor loop, Runnable otherwise) {
    if (!inFile(slice.key())) {
      otherwise.run();
      return;
    }
    disk.readSlice(object, slice.key(), allocator, data -> {
      try {
        loop.execute(() -> {
          if (data == null) {
            otherwise.run();
            return;
          }
          try {
            for (Slice.Claim run = claim; run != null; run = slice.claimFirstGap(slice.length())) {
              slice.write(run.from(), data, run.from(), run.to() - run.from());
              slice.endClaim(run);
            }
          } finally {
            data.release();
            slice.release();
          }
        });
      } catch (RejectedExecutionException shuttingDown) {
        if (data != null) {
          data.release();
        }
        slice.failClaim(claim);
        slice.release();
      }
    });
  }

  /**
   * Reads a complete slice's bytes into a buffer {@code done} then owns: copied from memory (on
   * this thread), or read and verified from disk (on the disk tier's executor; null when the file
   * was unreadable or corrupt). False, and {@code done} is not called, when no tier holds the slice whole.
   */
  public boolean readComplete(StoredObject object, int index, Consumer<@Nullable ByteBuf> done) {
    SliceKey key = object.slice(index);
    Slice slice = memory.slice(key);
    if (slice != null) {
      try {
        if (slice.isComplete()) {
          done.accept(slice.read(0, slice.length()));
          return true;
        }
      } finally {
        slice.release();
      }
    }
    if (!inFile(key)) {
      return false;
    }
    disk.readSlice(object, key, allocator, done);
    return true;
  }

  /** Records one use of a slice a client read from memory. */
  public void use(SliceKey key) {
    memory.use(key);
  }

  /** A slice became complete: the disk tier, if any, stores it (write-behind). */
  public void sliceCompleted(StoredObject object, Slice slice) {
    if (disk != null && slice.isComplete()) {
      disk.storeSlice(object, slice);
    }
  }

  // ---- removal ----

  /** The object changed at the origin: its stored version goes from every tier (a newer one stays). */
  public void changed(StoredObject object) {
    memory.invalidate(object);
    if (disk != null) {
      StoredObject onDisk = disk.object(object.key());
      if (onDisk != null && onDisk.version() == object.version()) {
        disk.invalidate(object.key());
      }
    }
  }

  /**
   * An object fetched whole (the origin ignores ranges) lost a slice from memory: it cannot be
   * completed by range, so memory's copy goes, if it is still this one, and the next reader fetches
   * it whole again. The disk tier keeps only complete slices, each still valid.
   */
  public void lostSlice(StoredObject object) {
    memory.invalidate(object);
  }

  /** Removes an object and its slices from every tier. */
  public void invalidate(CacheKey key) {
    memory.invalidate(key);
    if (disk != null) {
      disk.invalidate(key);
    }
  }

  /**
   * Removes every object whose key {@code which} accepts from every tier: memory's scan runs on
   * {@code executor}, then the disk tier's purge on its writer, then memory drops what a request
   * copied from disk meanwhile, and its weight is brought up to date, all before the future
   * completes (on {@code executor}).
   */
  public CompletableFuture<Purged> purge(Predicate<CacheKey> which, Executor executor) {
    requireNonNull(which, "which");
    return CompletableFuture.supplyAsync(() -> memory.purge(which).join(), executor)
        .thenCompose(inMemory -> (disk == null ? CompletableFuture.completedFuture(List.<StoredObject>of())
            : disk.purge(which))
            .thenApplyAsync(onDisk -> {
              // A request may have found a copy on disk after the memory scan and put it in memory: the same object.
              onDisk.forEach(memory::invalidate);
              memory.cleanUp(); // its weight (gateway_cache_bytes) is up to date when the purge answers
              return new Purged(inMemory, onDisk);
            }, executor));
  }

  /** Tells {@code listener} of every object the disk tier's start-up load found (nothing without one). */
  public void afterLoad(Consumer<StoredObject> listener) {
    if (disk != null) {
      disk.afterLoad(listener);
    }
  }

  // ---- sizes, for the status page ----

  /** The bytes memory's slices weigh. */
  public long memoryBytes() {
    return memory.weightedBytes();
  }

  /** The bytes the disk tier's files take, or -1 when there is no disk tier. */
  public long diskBytes() {
    return disk == null ? -1 : disk.weightedBytes();
  }
}
