package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier: complete slices and object metadata as files under {@code cache.disk.path},
 * behind the memory tier, indexed by Caffeine (W-TinyLFU) weighed in the bytes the files take on
 * disk (rounded up to 4 KiB blocks), metadata included. It survives restarts: the index is
 * rebuilt from the directory in the background at start-up, while the gateway already serves.
 *
 * <p>Durability: every file is written under a temporary name and atomically renamed when
 * complete; a slice carries the CRC32C of its bytes and its object's validators, metadata a CRC32C
 * of itself. A {@code kill -9} leaves at worst temporary files (removed at the next start) and a
 * torn file (its checksum fails when read: it is removed and the slice fetched again).
 *
 * <p>One gateway per directory: the tier holds {@code gateway.lock} in it from {@link #open} to
 * {@link #close} ({@link DirectoryLock}); a second gateway on the same directory is refused.
 *
 * <p>Threading: every file operation runs on the tier's own executor, never on an event loop;
 * results come back through callbacks that the caller hops to its loop. Failures to write (a full
 * disk) stop admission for a while and are counted; reading and serving go on.
 */
public final class DiskTier implements Tier {

  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

  /**
   * Where a file of the index lives and what it weighs on disk. {@code dataStart} is where a
   * slice's bytes begin (after its header) once its checksum was verified since start-up, else -1:
   * only then may it be sent with zero-copy, which never sees the bytes.
   */
  /** The key of a {@link FrequencySketchPrimer} placeholder: it has no file. */
  private record Placeholder(long number) {}

  /** The weight the frequency sketch is sized for: a slice file of a page's asset. */
  private static final long TYPICAL_FILE_BYTES = 64 * 1024;

  private static final class Entry {
    private final Path file;
    private final long bytes;
    private volatile long dataStart = -1;

    Entry(Path file, long bytes) {
      this.file = file;
      this.bytes = bytes;
    }
  }

  private final DiskDirectory directory;
  private final DirectoryLock lock;
  /** Reads, and the index's maintenance. */
  private final ExecutorService executor;
  /** Writes, one at a time and in order: an object's metadata before its slices. */
  private final ThreadPoolExecutor writer;
  private final Cache<Object, Entry> index;
  private final Map<CacheKey, StoredObject> objects = new ConcurrentHashMap<>();
  private final AtomicLong removedAtLoad = new AtomicLong();
  private final AtomicLong corruptReads = new AtomicLong();
  private final DiskWrites writes = new DiskWrites();
  private final EvictionListener evictions;
  private volatile boolean loaded;
  /** Completed when the start-up load ends, however it ends: purges wait for it. */
  private final CompletableFuture<Void> loadEnded = new CompletableFuture<>();
  /** Told of every object once the start-up load is done; guarded by {@code this}. */
  private @Nullable Consumer<StoredObject> loadListener;
  private volatile long loadMillis = -1;

  private DiskTier(DiskDirectory directory, DirectoryLock lock, long maxBytes,
      EvictionListener evictions) {
    this.directory = directory;
    this.lock = lock;
    this.evictions = requireNonNull(evictions, "evictions");
    this.executor = Executors.newFixedThreadPool(2, r -> daemon(r, "gateway-disk-read"));
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> daemon(r, "gateway-disk-write"));
    long capacity = Math.max(DiskDirectory.BLOCK_BYTES, maxBytes - DiskDirectory.BLOCK_BYTES); // the marker file takes a block
    this.index = Caffeine.newBuilder()
        .maximumWeight(capacity)
        .weigher((Object k, Entry e) -> (int) Math.min(Integer.MAX_VALUE, e.bytes))
        .executor(executor)
        .removalListener((Object k, Entry e, RemovalCause cause) -> onRemoved(k, e, cause))
        .recordStats()
        .build();
    // Counts uses from the first request (not from half full), so a book read after a start is kept.
    long sketchEntries = FrequencySketchPrimer.entries(capacity, TYPICAL_FILE_BYTES);
    long placeholderBytes = FrequencySketchPrimer.placeholderWeight(capacity, sketchEntries);
    Path noFile = Path.of("");
    FrequencySketchPrimer.prime(index, sketchEntries, Placeholder::new, i -> new Entry(noFile, placeholderBytes));
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Opens (creating it if needed) the tier's directory and starts loading its index in the
   * background. Refuses, with one line naming the key, a directory that cannot be used
   * ({@link DiskDirectory#open}), or that another gateway is using: its lock file is held
   * ({@link DirectoryLock}; the line names the directory and the holder's PID). Locked before the
   * index is loaded, since loading removes the files it cannot use, a writer's temporary ones included.
   *
   * @throws IllegalArgumentException with that line
   */
  public static DiskTier open(Path root, long maxBytes, EvictionListener evictions) {
    DiskDirectory directory = DiskDirectory.open(requireNonNull(root, "root"));
    DirectoryLock lock = DirectoryLock.acquire(root);
    DiskTier tier;
    try {
      tier = new DiskTier(directory, lock, maxBytes, evictions);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    tier.executor.execute(tier::load);
    // Writes start once the start-up scan is over: the scan removes temporary files (a crash's)
    // and slice files whose object it has not found, and took a write under way for one of them
    // (seen in CI: a new slice's .tmp deleted before its rename, and the tier paused its writes).
    // The writer is one thread, in order: every write queued now waits behind this.
    tier.writer.execute(tier.loadEnded::join);
    return tier;
  }

  /**
   * For {@code check}: the problems {@link #open} would refuse {@code root} for, one line each,
   * found without creating, writing or locking anything; a lock held by a running gateway is not a
   * problem (see {@link #holder}).
   */
  public static List<String> check(Path root) {
    return DiskDirectory.check(requireNonNull(root, "root"));
  }

  /**
   * For {@code check}: the PID written in {@code root}'s lock file, if there is one. The lock is
   * not tested: the file stays after a gateway stops, so the PID may be a gateway's that has gone.
   */
  public static Optional<String> holder(Path root) {
    return DirectoryLock.writtenPid(requireNonNull(root, "root"));
  }

  // ---- start-up ----

  private void load() {
    try {
      loadIndex();
    } finally {
      loadEnded.complete(null);
    }
  }

  private void loadIndex() {
    long start = System.nanoTime();
    try {
      directory.scan(new DiskDirectory.ScanResult() {
        @Override
        public void object(StoredObject object, Path file) {
          objects.put(object.key(), object);
          index.put(object.key(), new Entry(file, DiskDirectory.onDisk(file)));
        }

        @Override
        public void slice(SliceKey key, Path file) {
          index.put(key, new Entry(file, DiskDirectory.onDisk(file)));
        }

        @Override
        public void removed() {
          removedAtLoad.incrementAndGet();
        }
      });
    } catch (IOException | UncheckedIOException e) {
      log.warn("loading the disk index stopped early: {}", e.toString());
    }
    loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    Consumer<StoredObject> listener;
    synchronized (this) {
      loaded = true;
      listener = loadListener;
    }
    if (listener != null) {
      objects.values().forEach(listener);
    }
    log.info("disk index loaded: {} objects, {} slices, {} files removed (corrupt, partial or orphaned), {} ms",
        objects.size(), index.estimatedSize() - objects.size(), removedAtLoad.get(), loadMillis);
  }

  /** Tells {@code listener} of every object the start-up load found, when it ends (now if it has). One listener. */
  public void afterLoad(Consumer<StoredObject> listener) {
    requireNonNull(listener, "listener");
    synchronized (this) {
      if (!loaded) {
        loadListener = listener;
        return;
      }
    }
    objects.values().forEach(listener);
  }

  // ---- lookups (any thread) ----

  /** Whether the index has been rebuilt since start-up. */
  public boolean loaded() {
    return loaded;
  }

  /** Whether an object's metadata is on disk. Quiet: not a use. */
  @Override
  public boolean holds(CacheKey key) {
    return objects.get(key) != null;
  }

  /** An object's metadata on disk, or null; a use of it for W-TinyLFU (a request looked it up). */
  @Override
  public @Nullable StoredObject object(CacheKey key) {
    StoredObject object = objects.get(key);
    if (object != null) {
      index.getIfPresent(key); // an access, for W-TinyLFU
    }
    return object;
  }

  /**
   * The region of a slice file whose checksum was verified since start-up (it may be sent with
   * zero-copy), or null: not on disk, or not verified yet (read it with {@link #readSlice}).
   */
  public @Nullable SliceFile verifiedFile(SliceKey key, int length) {
    Entry entry = index.policy().getIfPresentQuietly(key); // quiet: a reader that sends it calls use
    return entry == null || entry.dataStart < 0 ? null : new SliceFile(entry.file, entry.dataStart, length);
  }

  /** Records one use of a slice file for W-TinyLFU: a client was sent it straight from its file. */
  @Override
  public void use(SliceKey key) {
    index.getIfPresent(key);
  }

  /** Whether a complete slice is on disk. Quiet: not a use (reading it is, {@link #readSlice}). */
  @Override
  public boolean hasCompleteSlice(SliceKey key) {
    return index.policy().getIfPresentQuietly(key) != null;
  }

  // ---- writes (write-behind, on the tier's executor) ----

  /** Stores an object's metadata (replacing an older copy of the same key). */
  @Override
  public void storeObject(StoredObject object) {
    if (writes.paused()) {
      return;
    }
    execute(writer, () -> {
      Path file = directory.objectFile(object.key());
      if (writes.write(file, ByteBuffer.wrap(DiskFormat.encodeObject(object)), null)) {
        StoredObject previous = objects.put(object.key(), object);
        index.put(object.key(), new Entry(file, DiskDirectory.onDisk(file)));
        if (previous != null && previous.version() != object.version()) {
          dropSlices(previous.key(), previous.version(), previous.sliceCount());
        }
      }
    });
  }

  /** Stores a complete slice of {@code object}, if its metadata is stored; retains it while writing. */
  public void storeSlice(StoredObject object, Slice slice) {
    int length = slice.length();
    if (writes.paused() || !slice.isComplete() || hasCompleteSlice(slice.key()) || !writes.enqueue(length)) {
      return;
    }
    slice.retain();
    if (!execute(writer, () -> {
      try {
        StoredObject stored = objects.get(object.key());
        if (stored == null || stored.version() != object.version()) {
          return; // its object is not (or no longer) on disk: the slice would be an orphan
        }
        ByteBuffer data = slice.nioBuffer();
        DiskFormat.SliceHeader header = new DiskFormat.SliceHeader(DiskFormat.hash(object.key()), object.version(),
            slice.key().index(), data.remaining(), DiskFormat.crc(data), Objects.toString(object.etag(), ""),
            Objects.toString(object.lastModified(), ""));
        Path file = directory.sliceFile(slice.key());
        if (writes.write(file, ByteBuffer.wrap(DiskFormat.encodeSliceHeader(header)), data)) {
          index.put(slice.key(), new Entry(file, DiskDirectory.onDisk(file)));
        }
      } finally {
        writes.dequeued(length);
        slice.release();
      }
    })) {
      writes.dequeued(length);
      slice.release(); // shutting down: the write never runs
    }
  }

  /** Whether writes are failing (full disk, I/O errors): the tier is not admitting new files. */
  public boolean writesFailing() {
    return writes.failing();
  }

  // ---- reads ----

  /**
   * Reads a slice into a new buffer on the tier's executor and verifies it; {@code done} receives
   * the buffer (its owner then) or null when the file is gone, unreadable or corrupt (it is then
   * removed: the caller fetches from the origin).
   */
  public void readSlice(StoredObject object, SliceKey key, ByteBufAllocator allocator,
      Consumer<@Nullable ByteBuf> done) {
    if (!execute(executor, () -> done.accept(read(object, key, allocator)))) {
      done.accept(null);
    }
  }

  private @Nullable ByteBuf read(StoredObject object, SliceKey key, ByteBufAllocator allocator) {
    Entry entry = index.getIfPresent(key);
    if (entry == null) {
      return null;
    }
    try {
      DiskDirectory.VerifiedSlice slice = DiskDirectory.readSlice(entry.file, object, key, allocator);
      entry.dataStart = slice.dataStart(); // verified since start-up: zero-copy may send it from now on
      return slice.data();
    } catch (IOException | RuntimeException e) {
      corruptReads.incrementAndGet();
      log.warn("disk tier: dropping {} ({}); it will be fetched again", entry.file, e.toString());
      index.invalidate(key);
      return null;
    }
  }

  // ---- removal ----

  /** Removes an object and its slices (an unsafe method succeeded on its URL, or it changed). */
  @Override
  public void invalidate(CacheKey key) {
    StoredObject object = objects.remove(key);
    index.invalidate(key);
    if (object != null) {
      dropSlices(key, object.version(), object.sliceCount());
    }
  }

  /**
   * Removes every object whose key {@code which} accepts, its metadata and slice files deleted and
   * the index updated (its weight falls), then completes with the objects removed, each once (a
   * purge). Runs on the writer, so the writes queued before it land first and are removed with the
   * rest, and those queued after it (a copy fetched anew) are kept; it waits for the start-up load,
   * so that no object it should remove is indexed after it ran. Never on the caller's thread.
   */
  @Override
  public CompletableFuture<List<StoredObject>> purge(Predicate<CacheKey> which) {
    requireNonNull(which, "which");
    CompletableFuture<List<StoredObject>> done = new CompletableFuture<>();
    loadEnded.whenComplete((ignored, never) -> {
      if (!execute(writer, () -> {
        try {
          done.complete(purgeNow(which));
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
        }
      })) {
        done.completeExceptionally(new IllegalStateException("the disk tier is closed"));
      }
    });
    return done;
  }

  private List<StoredObject> purgeNow(Predicate<CacheKey> which) {
    List<StoredObject> removed = new ArrayList<>();
    for (StoredObject object : objects.values()) {
      CacheKey key = object.key();
      if (!which.test(key) || !objects.remove(key, object)) {
        continue;
      }
      removed.add(object);
      // The files are deleted here, not only by the removal listener (asynchronous): the purge
      // answers once they are gone. The listener finds them gone.
      deleteIndexed(key);
      for (int i = 0; i < object.sliceCount(); i++) {
        deleteIndexed(object.slice(i));
      }
    }
    index.cleanUp(); // the weight (gateway_cache_bytes) is up to date when the purge answers
    return removed;
  }

  /** Removes {@code key} from the index and deletes its file now. */
  private void deleteIndexed(Object key) {
    Entry entry = index.policy().getIfPresentQuietly(key);
    index.invalidate(key);
    if (entry != null) {
      DiskDirectory.delete(entry.file);
    }
  }


  /** Removes the slice files of one version of an object; returns how many there were. */
  private int dropSlices(CacheKey key, long version, int count) {
    int dropped = 0;
    for (int i = 0; i < count; i++) {
      if (index.asMap().remove(new SliceKey(key, version, i)) != null) {
        dropped++;
      }
    }
    return dropped;
  }

  /**
   * A file left the index: deleted. An eviction for room counts each slice file that went
   * ({@code gateway_cache_evictions_total{tier="disk"}}): one for a slice file evicted, and for an
   * object's metadata evicted, the slice files removed with it (it is not a slice itself: a
   * metadata file alone evicted counts none).
   */
  private void onRemoved(Object key, @Nullable Entry entry, RemovalCause cause) {
    if (entry == null || cause == RemovalCause.REPLACED || key instanceof Placeholder) {
      return; // replaced: the same file now holds the new content
    }
    int slices = key instanceof SliceKey ? 1 : 0;
    if (key instanceof CacheKey objectKey) {
      StoredObject object = objects.remove(objectKey);
      if (object != null) {
        slices = dropSlices(objectKey, object.version(), object.sliceCount());
      }
    }
    DiskDirectory.delete(entry.file);
    if (cause.wasEvicted()) {
      for (int i = 0; i < slices; i++) {
        evictions.sliceEvicted();
      }
    }
  }

  // ---- figures ----

  /** The bytes the tier's files take on disk, as weighed. */
  @Override
  public long weightedBytes() {
    return index.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** Files removed at start-up: corrupt, partial (temporary) or orphaned. */
  public long removedAtLoad() {
    return removedAtLoad.get();
  }

  /** Slices dropped when read because their file was unreadable or corrupt. */
  public long corruptReads() {
    return corruptReads.get();
  }

  /** Writes that failed (a full disk, an I/O error). */
  public long writeErrors() {
    return writes.errors();
  }

  /** Slices not written to disk because the write queue was full (the disk could not keep up). */
  public long skippedWrites() {
    return writes.skipped();
  }

  /** How long the start-up index load took, in milliseconds, or -1 while it runs. */
  public long loadMillis() {
    return loadMillis;
  }

  /** Writes queued, not yet done (benchmarks, tests). */
  public int pendingWrites() {
    return writer.getQueue().size() + writer.getActiveCount();
  }

  /**
   * The index (object metadata and slice files), whose statistics are recorded, for metrics
   * binders (Micrometer's {@code CaffeineCacheMetrics}) only: everything else goes through this class.
   */
  @Override
  public Cache<?, ?> meteredCache() {
    return index;
  }

  /** Runs pending index maintenance now (tests). */
  public void cleanUp() {
    index.cleanUp();
  }

  /** Runs {@code task} on {@code on}; false when shutting down (a write-behind skipped costs a refetch later). */
  private static boolean execute(ExecutorService on, Runnable task) {
    try {
      on.execute(task);
      return true;
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      return false;
    }
  }

  /** Finishes the writes in progress (bounded), stops, and releases the directory's lock. */
  @Override
  public void close() {
    writer.shutdown();
    executor.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.close();
    }
  }
}
