package fr.acclermont.gateway.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier's directory and the files in it: the format marker, where each object's metadata
 * and each slice live ({@code objects/ab/<hash>.meta}, {@code slices/ab/<hash>-<version>-<index>.slice},
 * from a SHA-256 of the cache key, never from the request path), writing a file under a temporary
 * name renamed when complete, and reading a slice file back with its checksum verified. Blocking
 * file I/O: called on the tier's executors only. No state but the paths.
 */
final class DiskDirectory {

  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

  /** The file system block the tier weighs every file in. */
  static final long BLOCK_BYTES = 4096;

  private final Path objects;
  private final Path slices;

  private DiskDirectory(Path root) {
    this.objects = root.resolve("objects");
    this.slices = root.resolve("slices");
  }

  /**
   * Opens (creating it if needed) the directory. Refuses, with one line naming the key, a
   * directory that cannot be used, or that is not empty and has no marker of this format: the
   * gateway never touches files it did not write.
   */
  static DiskDirectory open(Path root) {
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
      Files.delete(Files.createTempFile(root, "probe", ".tmp"));
    } catch (IOException e) {
      throw new IllegalArgumentException("cache.disk.path: " + root + " cannot be used: " + e, e);
    }
    return new DiskDirectory(root);
  }

  /**
   * Checks, without creating or writing anything, that {@link #open} would accept {@code root}: an
   * existing directory that is writable and either empty or marked with this format, or a path that
   * does not exist yet under a writable directory. Returns the problems, one line each naming the
   * key; empty if none. Does not take nor test the lock.
   */
  static List<String> check(Path root) {
    String key = "cache.disk.path: " + root;
    try {
      if (Files.exists(root)) {
        if (!Files.isDirectory(root)) {
          return List.of(key + " is not a directory");
        }
        if (!Files.isWritable(root) || !Files.isExecutable(root)) {
          return List.of(key + " cannot be used: not writable by this user");
        }
        Path marker = root.resolve(DiskFormat.MARKER_FILE);
        if (Files.exists(marker)) {
          String found = Files.readString(marker, StandardCharsets.UTF_8);
          if (!found.equals(DiskFormat.MARKER)) {
            return List.of(key + " holds another format (" + found.strip()
                + "); move it away or choose another directory");
          }
          return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
          if (entries.findAny().isPresent()) {
            return List.of(key + " is not empty and has no " + DiskFormat.MARKER_FILE
                + " marker; refusing to use it (choose an empty directory)");
          }
        }
        return List.of();
      }
      Path parent = root.toAbsolutePath().getParent();
      while (parent != null && !Files.exists(parent)) {
        parent = parent.getParent();
      }
      if (parent == null || !Files.isDirectory(parent)) {
        return List.of(key + " cannot be created: " + parent + " is not a directory");
      }
      if (!Files.isWritable(parent) || !Files.isExecutable(parent)) {
        return List.of(key + " cannot be created: " + parent + " is not writable by this user");
      }
      return List.of();
    } catch (IOException | SecurityException e) {
      return List.of(key + " cannot be used: " + e);
    }
  }

  Path objectFile(CacheKey key) {
    String hash = DiskFormat.hash(key);
    return objects.resolve(hash.substring(0, 2)).resolve(hash + ".meta");
  }

  Path sliceFile(SliceKey key) {
    String hash = DiskFormat.hash(key.object());
    return slices.resolve(hash.substring(0, 2)).resolve(hash + "-" + key.version() + "-" + key.index() + ".slice");
  }

  /** What a start-up {@link #scan} finds, file by file. */
  interface ScanResult {
    /** A readable metadata file. */
    void object(StoredObject object, Path file);

    /** A slice file of an object found, of that object's version. */
    void slice(SliceKey key, Path file);

    /** A file removed: temporary (a crash left it), corrupt, or orphaned. */
    void removed();
  }

  /**
   * Scans the directory at start-up: every metadata file, then every slice file of an object found
   * (matched by key hash and version). Removes what cannot be used and says so.
   *
   * @throws IOException if a directory cannot be listed: the scan stops there
   */
  void scan(ScanResult found) throws IOException {
    Map<String, StoredObject> byHash = new HashMap<>();
    for (Path file : files(objects)) {
      if (!file.getFileName().toString().endsWith(".meta")) {
        removed(file, found); // a temporary file a crash left behind
        continue;
      }
      try {
        StoredObject object = DiskFormat.decodeObject(Files.readAllBytes(file));
        byHash.put(DiskFormat.hash(object.key()), object);
        found.object(object, file);
      } catch (IOException e) {
        log.warn("removing corrupt metadata file {}: {}", file, e.getMessage());
        removed(file, found);
      }
    }
    for (Path file : files(slices)) {
      SliceKey key = sliceKeyOf(file, byHash);
      if (key == null) {
        removed(file, found); // temporary, or orphaned (its object is gone or of another version)
      } else {
        found.slice(key, file);
      }
    }
  }

  private static void removed(Path file, ScanResult found) {
    delete(file);
    found.removed();
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  /** The key of a slice file of a loaded object of the same version (by key hash), or null. */
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

  /** Writes {@code head} then {@code body} to a temporary file renamed to {@code file} when complete. */
  static void write(Path file, ByteBuffer head, @Nullable ByteBuffer body) throws IOException {
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
    } catch (IOException e) {
      delete(temp);
      throw e;
    }
  }

  /**
   * A slice read from its file and verified.
   *
   * @param data the slice's bytes; the caller owns it
   * @param dataStart where they begin in the file (after the header)
   */
  record VerifiedSlice(ByteBuf data, long dataStart) {
  }

  /**
   * Reads slice {@code key} of {@code object} from {@code file}, checks that its header matches
   * the object and its bytes their CRC32C; throws {@link IOException} otherwise.
   */
  static VerifiedSlice readSlice(Path file, StoredObject object, SliceKey key, ByteBufAllocator allocator)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer prefix = ByteBuffer.allocate(2);
      readFully(channel, prefix, 0);
      int dataStart = DiskFormat.headerBytes(prefix);
      ByteBuffer headerBytes = ByteBuffer.allocate(dataStart);
      readFully(channel, headerBytes, 0);
      DiskFormat.SliceHeader header = DiskFormat.decodeSliceHeader(
          new DataInputStream(new ByteArrayInputStream(headerBytes.array())));
      int length = object.sliceLength(key.index());
      if (header.length() != length || header.version() != object.version() || header.index() != key.index()
          || channel.size() != dataStart + length) {
        throw new IOException("slice file does not match its object");
      }
      ByteBuf data = allocator.directBuffer(length, length);
      try {
        while (data.writerIndex() < length) {
          if (data.writeBytes(channel, dataStart + data.writerIndex(), length - data.writerIndex()) < 0) {
            throw new IOException("slice file truncated");
          }
        }
        if (DiskFormat.crc(data.nioBuffer()) != header.crc()) {
          throw new IOException("checksum mismatch");
        }
        return new VerifiedSlice(data, dataStart);
      } catch (IOException | RuntimeException e) {
        data.release();
        throw e;
      }
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into, position + into.position()) < 0) {
        throw new IOException("slice file truncated");
      }
    }
  }

  /** The bytes a file of {@code bytes} takes on disk: whole blocks. */
  static long onDisk(long bytes) {
    return (bytes + BLOCK_BYTES - 1) / BLOCK_BYTES * BLOCK_BYTES;
  }

  /** The bytes {@code file} takes on disk, or a block if it cannot be measured. */
  static long onDisk(Path file) {
    try {
      return onDisk(Files.size(file));
    } catch (IOException e) {
      return BLOCK_BYTES;
    }
  }

  /** Deletes a file of the tier if it exists; failures are left to the next start-up. */
  static void delete(Path file) {
    FileUtils.deleteQuietly(file.toFile());
  }
}
