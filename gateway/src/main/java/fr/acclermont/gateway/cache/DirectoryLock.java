package fr.acclermont.gateway.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One gateway per cache directory: an exclusive lock ({@link FileChannel#tryLock()}) on
 * {@code <cache.disk.path>/gateway.lock}, held from start-up to {@link #close}, with the holder's
 * PID written in the file so that a refused gateway can name it. The operating system releases the
 * lock when the process ends, however it ends ({@code kill -9} included): a stale file with an old
 * PID never blocks a start. The file is left in place at close (deleting it would race with a
 * gateway starting).
 *
 * <p>Concurrency: the locks this JVM holds are also kept in a map by directory. A POSIX lock
 * belongs to the process, and closing <em>any</em> descriptor of the file releases it, so a
 * second gateway of the same JVM (tests) must be refused without opening the file at all.
 * Thread-safe.
 */
final class DirectoryLock implements AutoCloseable {

  /** The lock file's name, in the cache directory. */
  static final String FILE = "gateway.lock";

  /** The locks held by this JVM, by the directory's real path; guarded by itself. */
  private static final Map<Path, DirectoryLock> HELD = new HashMap<>();

  private final Path root;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path root, FileChannel channel, FileLock lock) {
    this.root = root;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code root} (an existing directory) for this process and writes its PID in the lock file.
   *
   * @throws IllegalArgumentException naming {@code cache.disk.path}, the directory and the holder's
   *     PID when another gateway holds it, or why the lock file cannot be used
   */
  static DirectoryLock acquire(Path root) {
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("cache.disk.path: " + root + " cannot be used: " + e, e);
    }
    synchronized (HELD) {
      if (HELD.containsKey(real)) {
        throw inUse(root, Long.toString(ProcessHandle.current().pid()));
      }
      DirectoryLock acquired = lock(root, real.resolve(FILE));
      HELD.put(real, acquired);
      return acquired;
    }
  }

  private static DirectoryLock lock(Path root, Path file) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        String holder = holder(channel);
        channel.close(); // no lock of this JVM is on the file (HELD), so closing releases none
        throw inUse(root, holder);
      }
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      channel.force(false);
      return new DirectoryLock(root, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new IllegalArgumentException("cache.disk.path: " + root + " cannot be used: cannot lock " + file
          + ": " + e, e);
    }
  }

  /** The lock, or null when another holds it (another process, or this JVM under another path). */
  private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldByThisJvm) {
      return null;
    }
  }

  /** The PID written in {@code root}'s lock file, read without locking; empty if none. */
  static Optional<String> writtenPid(Path root) {
    Path file = root.resolve(FILE);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      String pid = holder(channel);
      return pid.equals("unknown") ? Optional.empty() : Optional.of(pid);
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The PID the holder wrote, or "unknown" (it has not written it yet, or the file is not ours). */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer read = ByteBuffer.allocate(32);
    while (read.hasRemaining() && channel.read(read, read.position()) > 0) {
      // reads until the end of the file or 32 bytes
    }
    String text = new String(read.array(), 0, read.position(), StandardCharsets.US_ASCII).strip();
    return text.matches("[0-9]{1,19}") ? text : "unknown";
  }

  private static IllegalArgumentException inUse(Path root, String pid) {
    return new IllegalArgumentException("cache.disk.path: " + root + " is in use by another gateway (PID " + pid
        + "); stop it or choose another directory");
  }

  private static void closeQuietly(@Nullable FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was locked
    }
  }

  /** Releases the lock (the file stays); another gateway may then use the directory. Idempotent. */
  @Override
  public void close() {
    synchronized (HELD) {
      HELD.values().remove(this);
      try {
        if (lock.isValid()) {
          lock.release();
        }
        channel.close();
      } catch (IOException e) {
        // Closing the channel releases the lock in any case.
      }
    }
  }
}
