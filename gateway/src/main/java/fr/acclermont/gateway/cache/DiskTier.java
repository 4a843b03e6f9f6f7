package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
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
 * <p>Threading: every file operation runs on the tier's own executor, never on an event loop;
 * results come back through callbacks that the caller hops to its loop. Failures to write (a full
 * disk) stop admission for a while and are counted; reading and serving go on.
 */
public final class DiskTier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);
  private static final long BLOCK_BYTES = 4096;
  /** While writes fail, one write is tried this often; the first that succeeds resumes them all. */
  private static final long WRITE_TRIAL_MILLIS = 1_000;

  /**
   * Where a file of the index lives and what it weighs on disk. {@code dataStart} is where a
   * slice's bytes begin (after its header) once its checksum was verified since start-up, else -1:
   * only then may it be sent with zero-copy, which never sees the bytes.
   */
  private static final class Entry {
    private final Path file;
    private final long bytes;
    private volatile long dataStart = -1;

    Entry(Path file, long bytes) {
      this.file = file;
      this.bytes = bytes;
    }

    Path file() {
      return file;
    }

    long bytes() {
      return bytes;
    }
  }

  /**
   * A verified slice file's bytes: {@code length} bytes at {@code position} of {@code file}.
   *
   * @param file the slice file
   * @param position where the slice's first byte is in the file
   * @param length the slice's length
   */
  public record Region(Path file, long position, int length) {
  }

  private final Path objectsDir;
  private final Path slicesDir;
  /** Reads, and the index's maintenance. */
  private final ExecutorService executor;
  /** Writes, one at a time and in order: an object's metadata before its slices. */
  private final ExecutorService writer;
  private final Cache<Object, Entry> index;
  private final Map<CacheKey, StoredObject> objects = new ConcurrentHashMap<>();
  private final AtomicLong removedAtLoad = new AtomicLong();
  private final AtomicLong corruptReads = new AtomicLong();
  private final AtomicLong writeErrors = new AtomicLong();
  private final MemoryTier.EvictionListener evictions;
  private volatile boolean loaded;
  private volatile long loadMillis = -1;
  /** Whether writes failed and are stopped until a trial write succeeds (full disk, I/O errors). */
  private volatile boolean writesFailing;
  private volatile long nextTrialMillis;

  private DiskTier(Path root, long maxBytes, MemoryTier.EvictionListener evictions) {
    this.objectsDir = root.resolve("objects");
    this.slicesDir = root.resolve("slices");
    this.evictions = requireNonNull(evictions, "evictions");
    this.executor = Executors.newFixedThreadPool(2, r -> daemon(r, "gateway-disk-read"));
    this.writer = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new java.util.concurrent.LinkedBlockingQueue<>(), r -> daemon(r, "gateway-disk-write"));
    this.index = Caffeine.newBuilder()
        .maximumWeight(Math.max(BLOCK_BYTES, maxBytes - BLOCK_BYTES)) // the marker file takes a block
        .weigher((Object k, Entry e) -> (int) Math.min(Integer.MAX_VALUE, e.bytes()))
        .executor(executor)
        .removalListener((Object k, Entry e, RemovalCause cause) -> onRemoved(k, e, cause))
        .build();
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Opens (creating it if needed) the tier's directory and starts loading its index in the
   * background. Refuses, with one line naming the key, a directory that cannot be used, or that is
   * not empty and has no marker of this format: the gateway never touches files it did not write.
   */
  public static DiskTier open(Path root, long maxBytes, MemoryTier.EvictionListener evictions) {
    requireNonNull(root, "root");
    try {
      Files.createDirectories(root);
      Path marker = root.resolve(DiskFormat.MARKER_FILE);
      if (Files.exists(marker)) {
        String found = Files.readString(marker, StandardCharsets.UTF_8);
        if (!found.equals(DiskFormat.MARKER)) {
          throw new IllegalArgumentException("cache.disk.path: " + root + " holds another format ("
              + found.strip() + "); move it away or choose another directory");
        }
      } else {
        try (Stream<Path> entries = Files.list(root)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException("cache.disk.path: " + root + " is not empty and has no "
                + DiskFormat.MARKER_FILE + " marker; refusing to use it (choose an empty directory)");
          }
        }
        Files.writeString(marker, DiskFormat.MARKER, StandardCharsets.UTF_8);
      }
      Files.createDirectories(root.resolve("objects"));
      Files.createDirectories(root.resolve("slices"));
      Path probe = Files.createTempFile(root, "probe", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new IllegalArgumentException("cache.disk.path: " + root + " cannot be used: " + e, e);
    }
    DiskTier tier = new DiskTier(root, maxBytes, evictions);
    tier.executor.execute(tier::load);
    return tier;
  }

  // ---- start-up ----

  private void load() {
    long start = System.nanoTime();
    Map<String, StoredObject> byHash = new HashMap<>();
    try {
      for (Path file : files(objectsDir)) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".meta")) {
          delete(file); // a temporary file a crash left behind
          removedAtLoad.incrementAndGet();
          continue;
        }
        try {
          StoredObject object = DiskFormat.decodeObject(Files.readAllBytes(file));
          byHash.put(DiskFormat.hash(object.key()), object);
          objects.put(object.key(), object);
          index.put(object.key(), new Entry(file, onDisk(Files.size(file))));
        } catch (IOException e) {
          log.warn("removing corrupt metadata file {}: {}", file, e.getMessage());
          delete(file);
          removedAtLoad.incrementAndGet();
        }
      }
      for (Path file : files(slicesDir)) {
        SliceKey key = sliceKeyOf(file, byHash);
        if (key == null) {
          delete(file); // temporary, or orphaned (its object is gone or of another version)
          removedAtLoad.incrementAndGet();
          continue;
        }
        index.put(key, new Entry(file, onDisk(Files.size(file))));
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("loading the disk index stopped early: {}", e.toString());
    }
    loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    loaded = true;
    log.info("disk index loaded: {} objects, {} slices, {} files removed (corrupt, partial or orphaned), {} ms",
        objects.size(), index.estimatedSize() - objects.size(), removedAtLoad.get(), loadMillis);
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  /** {@code <hash>-<version>-<index>.slice} of a loaded object of the same version, or null. */
  private static @Nullable SliceKey sliceKeyOf(Path file, Map<String, StoredObject> byHash) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".slice")) {
      return null;
    }
    String[] parts = name.substring(0, name.length() - ".slice".length()).split("-");
    if (parts.length != 3) {
      return null;
    }
    StoredObject object = byHash.get(parts[0]);
    try {
      long version = Long.parseLong(parts[1]);
      int index = Integer.parseInt(parts[2]);
      if (object == null || object.version() != version || index < 0 || index >= object.sliceCount()) {
        return null;
      }
      return object.slice(index);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---- lookups (any thread) ----

  /** Whether the index has been rebuilt since start-up. */
  public boolean loaded() {
    return loaded;
  }

  /** An object's metadata on disk, or null. */
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
  public @Nullable Region verifiedRegion(SliceKey key, int length) {
    Entry entry = index.getIfPresent(key);
    return entry == null || entry.dataStart < 0 ? null : new Region(entry.file(), entry.dataStart, length);
  }

  /** Whether a complete slice is on disk. */
  public boolean hasSlice(SliceKey key) {
    return index.getIfPresent(key) != null;
  }

  // ---- writes (write-behind, on the tier's executor) ----

  /** Stores an object's metadata (replacing an older copy of the same key). */
  public void storeObject(StoredObject object) {
    if (writesPaused()) {
      return;
    }
    execute(writer, () -> {
      Path file = objectFile(object.key());
      if (write(file, ByteBuffer.wrap(DiskFormat.encodeObject(object)), null)) {
        StoredObject previous = objects.put(object.key(), object);
        index.put(object.key(), new Entry(file, onDisk(file)));
        if (previous != null && previous.version() != object.version()) {
          dropSlices(previous.key(), previous.version(), previous.sliceCount());
        }
      }
    });
  }

  /** Stores a complete slice of {@code object}, if its metadata is stored; retains it while writing. */
  public void storeSlice(StoredObject object, Slice slice) {
    if (writesPaused() || !slice.isComplete() || hasSlice(slice.key())) {
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
        Path file = sliceFile(slice.key());
        if (write(file, ByteBuffer.wrap(DiskFormat.encodeSliceHeader(header)), data)) {
          index.put(slice.key(), new Entry(file, onDisk(file)));
        }
      } finally {
        slice.release();
      }
    })) {
      slice.release(); // shutting down: the write never runs
    }
  }

  /** Writes {@code head} then {@code body} to a temporary file renamed to {@code file} when complete. */
  private boolean write(Path file, ByteBuffer head, @Nullable ByteBuffer body) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        while (head.hasRemaining()) {
          channel.write(head);
        }
        while (body != null && body.hasRemaining()) {
          channel.write(body);
        }
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      if (writesFailing) {
        writesFailing = false;
        log.info("disk tier: writing again ({} failed writes so far)", writeErrors.get());
      }
      return true;
    } catch (IOException e) {
      delete(temp);
      writeErrors.incrementAndGet();
      if (!writesFailing) {
        // Once per condition: the next line is written when writes resume.
        log.warn("disk tier: cannot write {} ({}); not storing on disk until a write succeeds again (tried every"
            + " {} s), serving from memory and the origin", file, e.toString(), WRITE_TRIAL_MILLIS / 1000);
        writesFailing = true;
      }
      nextTrialMillis = System.currentTimeMillis() + WRITE_TRIAL_MILLIS;
      return false;
    }
  }

  /** Whether writes are stopped now: they failed, and the next trial is not due yet. */
  private boolean writesPaused() {
    return writesFailing && System.currentTimeMillis() < nextTrialMillis;
  }

  /** Whether writes are failing (full disk, I/O errors): the tier is not admitting new files. */
  public boolean writesFailing() {
    return writesFailing;
  }

  // ---- reads ----

  /**
   * Reads a slice into a new buffer on the tier's executor and verifies it; {@code done} receives
   * the buffer (its owner then) or null when the file is gone, unreadable or corrupt (it is then
   * removed: the caller fetches from the origin).
   */
  public void readSlice(StoredObject object, SliceKey key, ByteBufAllocator allocator, Consumer<@Nullable ByteBuf> done) {
    if (!execute(executor, () -> done.accept(read(object, key, allocator)))) {
      done.accept(null);
    }
  }

  private @Nullable ByteBuf read(StoredObject object, SliceKey key, ByteBufAllocator allocator) {
    Entry entry = index.getIfPresent(key);
    if (entry == null) {
      return null;
    }
    ByteBuf data = null;
    try (FileChannel channel = FileChannel.open(entry.file(), StandardOpenOption.READ)) {
      DiskFormat.SliceHeader header = DiskFormat.decodeSliceHeader(
          new DataInputStream(Channels.newInputStream(channel.position(0))));
      ByteBuffer two = ByteBuffer.allocate(2);
      channel.read(two, 0);
      long dataStart = DiskFormat.headerBytes(two);
      int length = object.sliceLength(key.index());
      if (header.length() != length || header.version() != object.version() || header.index() != key.index()
          || channel.size() != dataStart + length) {
        throw new IOException("slice file does not match its object");
      }
      data = allocator.directBuffer(length, length);
      while (data.writerIndex() < length) {
        if (data.writeBytes(channel, dataStart + data.writerIndex(), length - data.writerIndex()) < 0) {
          throw new IOException("slice file truncated");
        }
      }
      if (DiskFormat.crc(data.nioBuffer()) != header.crc()) {
        throw new IOException("checksum mismatch");
      }
      entry.dataStart = dataStart; // verified since start-up: zero-copy may send it from now on
      return data;
    } catch (IOException | RuntimeException e) {
      if (data != null) {
        data.release();
      }
      corruptReads.incrementAndGet();
      log.warn("disk tier: dropping {} ({}); it will be fetched again", entry.file(), e.toString());
      index.invalidate(key);
      return null;
    }
  }

  // ---- removal ----

  /** Removes an object and its slices (an unsafe method succeeded on its URL, or it changed). */
  public void invalidate(CacheKey key) {
    StoredObject object = objects.remove(key);
    index.invalidate(key);
    if (object != null) {
      dropSlices(key, object.version(), object.sliceCount());
    }
  }

  private void dropSlices(CacheKey key, long version, int count) {
    for (int i = 0; i < count; i++) {
      index.invalidate(new SliceKey(key, version, i));
    }
  }

  private void onRemoved(Object key, @Nullable Entry entry, RemovalCause cause) {
    if (entry == null || cause == RemovalCause.REPLACED) {
      return; // replaced: the same file now holds the new content
    }
    if (key instanceof CacheKey objectKey) {
      StoredObject object = objects.remove(objectKey);
      if (object != null) {
        dropSlices(objectKey, object.version(), object.sliceCount());
      }
    }
    delete(entry.file());
    if (cause.wasEvicted()) {
      evictions.sliceEvicted();
    }
  }

  // ---- figures ----

  /** The bytes the tier's files take on disk, as weighed. */
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
    return writeErrors.get();
  }

  /** How long the start-up index load took, in milliseconds, or -1 while it runs. */
  public long loadMillis() {
    return loadMillis;
  }

  /** Writes queued, not yet done (benchmarks, tests). */
  public int pendingWrites() {
    java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor) writer;
    return pool.getQueue().size() + pool.getActiveCount();
  }

  /** Runs pending index maintenance now (tests). */
  public void cleanUp() {
    index.cleanUp();
  }

  // ---- files ----

  private Path objectFile(CacheKey key) {
    String hash = DiskFormat.hash(key);
    return objectsDir.resolve(hash.substring(0, 2)).resolve(hash + ".meta");
  }

  private Path sliceFile(SliceKey key) {
    String hash = DiskFormat.hash(key.object());
    return slicesDir.resolve(hash.substring(0, 2)).resolve(hash + "-" + key.version() + "-" + key.index() + ".slice");
  }

  private static long onDisk(long bytes) {
    return (bytes + BLOCK_BYTES - 1) / BLOCK_BYTES * BLOCK_BYTES;
  }

  private static long onDisk(Path file) {
    try {
      return onDisk(Files.size(file));
    } catch (IOException e) {
      return BLOCK_BYTES;
    }
  }

  private static void delete(Path file) {
    FileUtils.deleteQuietly(file.toFile());
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

  /** Finishes the writes in progress (bounded) and stops. */
  @Override
  public void close() {
    writer.shutdown();
    executor.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
