package fr.acclermont.gateway.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier's writes and what their failures mean: a failed write (a full disk, an I/O error)
 * stops admission of new files, with one log line; one write a second is still tried, and the
 * first that succeeds resumes them all, with another line. Reading and serving go on meanwhile.
 * Thread-safe (its state is volatile; writes themselves run on the tier's single writer).
 */
final class DiskWrites {

  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);
  /** While writes fail, one write is tried this often; the first that succeeds resumes them all. */
  private static final long TRIAL_MILLIS = 1_000;

  /**
   * Slice bytes queued for the writer, at most: each is a retained slice, direct memory that the
   * memory tier's budget no longer counts once it evicts the slice. A disk slower than the uplink
   * fills (an SD card, a disk stalled by another process) skips the slices it cannot take, to be
   * fetched again if wanted, rather than fill the JVM's direct memory.
   */
  static final long MAX_QUEUED_BYTES = 64L << 20;
  /** At most one line a minute about skipped writes. */
  private static final long SKIP_LOG_MILLIS = 60_000;

  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile long nextSkipLogMillis;
  /** Whether writes failed and are stopped until a trial write succeeds. */
  private volatile boolean failing;
  private volatile long nextTrialMillis;

  /** Writes a file (see {@link DiskDirectory#write}); false if it failed (then writes pause). */
  boolean write(Path file, ByteBuffer head, @Nullable ByteBuffer body) {
    try {
      DiskDirectory.write(file, head, body);
    } catch (IOException e) {
      errors.incrementAndGet();
      if (!failing) {
        // Once per condition: the next line is written when writes resume.
        log.warn("disk tier: cannot write {} ({}); not storing on disk until a write succeeds again (tried every"
            + " {} s), serving from memory and the origin", file, e.toString(), TRIAL_MILLIS / 1000);
        failing = true;
      }
      nextTrialMillis = System.currentTimeMillis() + TRIAL_MILLIS;
      return false;
    }
    if (failing) {
      failing = false;
      log.info("disk tier: writing again ({} failed writes so far)", errors.get());
    }
    return true;
  }

  /** Whether writes are stopped now: they failed, and the next trial is not due yet. */
  boolean paused() {
    return failing && System.currentTimeMillis() < nextTrialMillis;
  }

  /** Whether writes are failing: the tier is not admitting new files. */
  boolean failing() {
    return failing;
  }

  /** Takes {@code bytes} of slice into the write queue; false (skipped, counted) if the queue is full. */
  boolean enqueue(long bytes) {
    if (queuedBytes.addAndGet(bytes) <= MAX_QUEUED_BYTES) {
      return true;
    }
    queuedBytes.addAndGet(-bytes);
    long total = skipped.incrementAndGet();
    long now = System.currentTimeMillis();
    if (now >= nextSkipLogMillis) {
      nextSkipLogMillis = now + SKIP_LOG_MILLIS;
      log.warn("disk tier: the disk cannot keep up ({} MiB of slices queued): not storing some on disk ({} so far);"
          + " they are served from memory or fetched again", MAX_QUEUED_BYTES >> 20, total);
    }
    return false;
  }

  /** A queued slice was written, or dropped. */
  void dequeued(long bytes) {
    queuedBytes.addAndGet(-bytes);
  }

  /** Slices not written because the write queue was full. */
  long skipped() {
    return skipped.get();
  }

  /** Slice bytes in the write queue now. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  /** Writes that failed so far. */
  long errors() {
    return errors.get();
  }
}
