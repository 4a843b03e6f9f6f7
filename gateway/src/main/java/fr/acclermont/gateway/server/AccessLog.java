package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.AccessLogConfig;
import fr.acclermont.gateway.config.ConfigException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one JSON object per line and per client request, written to standard output or
 * appended to a file ({@code access-log.path}). The fields are listed in docs/operations.md, "Access log".
 *
 * <p>Threading: {@link #log} is called on the event loops and never blocks. It hands the entry to a
 * bounded queue; one writer thread of its own formats the entries (masking secrets, see
 * {@link SecretMasking}), and writes each batch of whole lines with one write, then flushes; after
 * a batch it lets the next gather for {@link #GATHER_NANOS} (2 ms), so that under traffic the event
 * loops wake no thread and the writer makes one write per batch, not one per line. So a line is
 * written within about 2 ms of being logged (at once after a quiet moment), never held longer,
 * and never split across writes. When the queue is full (the destination is
 * slower than the traffic) or a write fails, lines are dropped, never waited for, and each is
 * counted ({@code gateway_access_log_dropped_total}); a failing destination is reported by one
 * WARN line, and its recovery by one INFO line. Thread-safe.
 *
 * <p>Rotation: {@link #reopen} (SIGUSR1, {@code packaging/logrotate}) has the writer close the file
 * and open the same path again between two lines, so logrotate may rename the file (no
 * {@code copytruncate}): the lines queued before the call go to the renamed file, those after to a
 * new file at the path, none lost. If the path cannot be opened again (a missing directory, a
 * permission), the writer logs one WARN line and keeps writing to the file it has (the renamed
 * one): lines are kept, not dropped, and the next reopen tries again. When the queue is full (the
 * marker does not fit), the writer reopens after the batch it is writing.
 */
public final class AccessLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

  /** Entries waiting for the writer, at most: a few MiB, a few seconds of a busy school's traffic. */
  static final int QUEUE_ENTRIES = 16_384;
  /** Lines formatted and written together, at most. */
  private static final int BATCH_ENTRIES = 512;
  /**
   * How long the writer lets lines gather after writing a batch: a line waits at most about this
   * long (plus the time to write the batch) before it is written.
   */
  static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** How long {@link #close} waits for the writer to write what is queued. */
  private static final long CLOSE_WAIT_MILLIS = 5_000;
  /** Tells the writer to stop once what was queued before it is written. */
  private static final AccessLogEntry END_OF_LOG =
      new AccessLogEntry(0, null, null, null, null, 0, 0, null, -1, 0, -1, null, AccessLogEntry.End.COMPLETE);
  /** Wakes the writer to reopen the file between the lines queued before it and those after. */
  private static final AccessLogEntry REOPEN =
      new AccessLogEntry(0, null, null, null, null, 0, 0, null, -1, 0, -1, null, AccessLogEntry.End.COMPLETE);

  private static final AccessLog OFF = new AccessLog();

  /** No reopen asked. */
  private static final int NO_REOPEN = 0;
  /** A reopen asked, its marker in the queue: the writer reopens where it finds it. */
  private static final int REOPEN_QUEUED = 1;
  /** A reopen asked, its marker refused by a full queue: the writer reopens after its batch. */
  private static final int REOPEN_UNQUEUED = 2;

  private final @Nullable BlockingQueue<AccessLogEntry> queue;
  /** Where lines go; replaced by a reopen. Writer thread only, after the constructor. */
  private @Nullable OutputStream out;
  private final boolean closeOut;
  /** The file {@link #reopen} opens (again), or null (standard output, a test stream); {@link #moveTo} sets it. */
  private volatile @Nullable Path file;
  /** {@link #NO_REOPEN}, {@link #REOPEN_QUEUED} or {@link #REOPEN_UNQUEUED}: set by {@link #reopen}, cleared by the writer. */
  private final AtomicInteger reopen = new AtomicInteger(NO_REOPEN);
  private volatile String destination;
  private final Runnable onDrop;
  private final @Nullable Thread writer;
  private volatile boolean closed;
  /** Writer thread only. */
  private boolean failing;

  private AccessLog() {
    this.queue = null;
    this.out = null;
    this.closeOut = false;
    this.file = null;
    this.destination = "off";
    this.onDrop = () -> { };
    this.writer = null;
  }

  private AccessLog(OutputStream out, boolean closeOut, @Nullable Path file, String destination, Runnable onDrop,
      int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.out = out;
    this.closeOut = closeOut;
    this.file = file;
    this.destination = destination;
    this.onDrop = onDrop;
    Thread thread = new Thread(this::writeLines, "access-log");
    thread.setDaemon(true);
    this.writer = thread;
    thread.start();
  }

  /**
   * Opens the access log as configured: standard output, a file opened for appending (created if
   * missing), or nothing.
   *
   * @param onDrop called once per line dropped (the queue was full, or the write failed)
   * @throws ConfigException if the file cannot be opened for appending (the message names the key)
   */
  public static AccessLog open(AccessLogConfig config, Runnable onDrop) {
    requireNonNull(config, "config");
    requireNonNull(onDrop, "onDrop");
    return switch (config.destination()) {
      case OFF -> OFF;
      // File descriptor 1 itself, not System.out: a PrintStream hides write errors (a closed
      // pipe), which must be counted as drops. Nothing else writes to it while the gateway runs.
      case STDOUT -> new AccessLog(new FileOutputStream(FileDescriptor.out), false, null, "standard output", onDrop,
          QUEUE_ENTRIES);
      case FILE -> new AccessLog(openFile(requireNonNull(config.file())), true, config.file(),
          config.file().toString(), onDrop, QUEUE_ENTRIES);
    };
  }

  /**
   * Checks that a file access log's file opens for appending (creating it), as a reload moving the
   * log there needs; does nothing for another destination.
   *
   * @throws ConfigException naming {@code access-log.path} if it cannot
   */
  public static void checkOpens(AccessLogConfig config) {
    if (config.destination() == AccessLogConfig.Destination.FILE) {
      try {
        openFile(requireNonNull(config.file())).close();
      } catch (IOException e) {
        throw new ConfigException("access-log.path: cannot close " + config.file() + ": " + e.getMessage(), e);
      }
    }
  }

  private static OutputStream openFile(Path path) {
    try {
      return new FileOutputStream(path.toFile(), true);
    } catch (IOException | SecurityException e) {
      throw new ConfigException("access-log.path: cannot open " + path + " for appending: "
          + reason(e, path.toString()), e);
    }
  }

  /** {@code FileOutputStream}'s message, "path (reason)", reduced to the reason. */
  private static String reason(Exception e, String path) {
    String message = String.valueOf(e.getMessage());
    String prefix = path + " (";
    return message.startsWith(prefix) && message.endsWith(")")
        ? message.substring(prefix.length(), message.length() - 1) : message;
  }

  /** An access log writing to {@code out}, for tests; {@code out} is closed with the log. */
  static AccessLog to(OutputStream out, Runnable onDrop, int capacity) {
    return new AccessLog(out, true, null, "a test stream", onDrop, capacity);
  }

  /** The access log off: {@link #log} does nothing. */
  public static AccessLog off() {
    return OFF;
  }

  /** Whether lines are written: callers skip building entries otherwise. */
  public boolean enabled() {
    return queue != null;
  }

  /**
   * Queues one line; never blocks. Dropped, and counted, when the queue is full or the log closed.
   */
  public void log(AccessLogEntry entry) {
    requireNonNull(entry, "entry");
    BlockingQueue<AccessLogEntry> q = queue;
    if (q == null) {
      return;
    }
    if (closed || !q.offer(entry)) {
      onDrop.run();
    }
  }

  /**
   * Has the writer close the file and open the same path again (appending, creating it), between
   * the lines logged before this call and those after; returns at once. Several calls before the
   * writer gets to it reopen once. Does nothing for standard output, when off, or once closed.
   * Thread-safe: meant for a signal handler's thread (SIGUSR1) and a reload.
   */
  public void reopen() {
    BlockingQueue<AccessLogEntry> q = queue;
    if (q == null || file == null || closed || !reopen.compareAndSet(NO_REOPEN, REOPEN_QUEUED)) {
      return; // or one is pending already
    }
    if (!q.offer(REOPEN)) {
      reopen.set(REOPEN_UNQUEUED); // the queue is full: the writer is busy, and reopens after its batch
    }
    LockSupport.unpark(writer); // not a few milliseconds later
  }

  /**
   * Has the writer go on in another file (a reload changed {@code access-log.path}): the lines
   * logged before this call end in the old file, those after go to {@code path}, opened for
   * appending (created). If {@code path} cannot be opened then, lines go on to the old file (one
   * WARN line). Only for a log writing to a file (false otherwise: nothing done).
   */
  public boolean moveTo(Path path) {
    requireNonNull(path, "path");
    if (file == null || closed) {
      return false;
    }
    file = path;
    destination = path.toString();
    reopen();
    return true;
  }

  /**
   * Writes what is queued (waiting up to 5 s for it), then closes the file. Lines logged after
   * this are dropped.
   */
  @Override
  public void close() {
    BlockingQueue<AccessLogEntry> q = queue;
    Thread thread = writer;
    if (q == null || thread == null || closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(thread);
    try {
      if (q.offer(END_OF_LOG, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        thread.join(CLOSE_WAIT_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("access log: lines still queued for {} after {} ms are lost", destination, CLOSE_WAIT_MILLIS);
    }
  }

  /**
   * The writer thread's loop: takes what is queued, writes it as one batch, until the end. After
   * a batch that did not fill up, it sleeps {@link #GATHER_NANOS} before taking the next: under
   * traffic the lines gather in the queue meanwhile, so the event loops, whose {@link #log} finds
   * no writer waiting, wake nobody, and one write carries the lines of those milliseconds. Only
   * when the queue is still empty after that sleep does the writer wait for the next line, which
   * wakes it (once, the first line after a quiet moment).
   */
  private void writeLines() {
    BlockingQueue<AccessLogEntry> q = requireNonNull(queue);
    List<AccessLogEntry> batch = new ArrayList<>(BATCH_ENTRIES);
    AccessLogLines lines = new AccessLogLines();
    boolean ended = false;
    while (!ended) {
      if (q.drainTo(batch, BATCH_ENTRIES) == 0) {
        try {
          batch.add(q.take());
        } catch (InterruptedException e) {
          break; // nobody interrupts this thread; if someone does, stop as the JVM is going away
        }
        q.drainTo(batch, BATCH_ENTRIES - 1);
      }
      boolean full = batch.size() == BATCH_ENTRIES;
      ended = writeUpToReopen(batch, lines);
      batch.clear();
      if (!ended && !full && !closed) {
        LockSupport.parkNanos(this, GATHER_NANOS); // close() and reopen() unpark it
      }
    }
    if (closeOut) {
      try {
        requireNonNull(out).close();
      } catch (IOException e) {
        log.warn("access log: cannot close {}: {}", destination, e.toString());
      }
    }
  }

  /**
   * Writes the lines of {@code batch}, reopening the file where a reopen was asked: at its marker,
   * or after the batch when a full queue refused the marker. True if the end of the log is in it.
   */
  private boolean writeUpToReopen(List<AccessLogEntry> batch, AccessLogLines lines) {
    boolean ended = false;
    int from = 0;
    for (int i = 0; i < batch.size(); i++) {
      AccessLogEntry entry = batch.get(i);
      if (entry == REOPEN || entry == END_OF_LOG) {
        write(batch.subList(from, i), lines);
        from = i + 1;
        ended |= entry == END_OF_LOG;
        if (entry == REOPEN && reopen.getAndSet(NO_REOPEN) != NO_REOPEN) {
          reopenNow();
        }
      }
    }
    write(batch.subList(from, batch.size()), lines);
    if (reopen.compareAndSet(REOPEN_UNQUEUED, NO_REOPEN)) {
      reopenNow();
    }
    return ended;
  }

  /** Opens the path again and closes the old file; keeps the old one if the path cannot be opened. */
  private void reopenNow() {
    Path path = requireNonNull(file);
    OutputStream reopened;
    try {
      reopened = new FileOutputStream(path.toFile(), true);
    } catch (IOException | SecurityException e) {
      log.warn("access log: cannot reopen {}: {}; lines go on to the file opened before (renamed or not)",
          destination, reason(e, destination));
      return;
    }
    OutputStream old = requireNonNull(out);
    out = reopened;
    try {
      old.close();
    } catch (IOException e) {
      log.warn("access log: cannot close the file before {} was reopened: {}", destination, e.toString());
    }
    log.info("access log: reopened {}", destination);
  }

  private void write(List<AccessLogEntry> batch, AccessLogLines lines) {
    if (batch.isEmpty()) {
      return;
    }
    OutputStream target = requireNonNull(out);
    try {
      lines.format(batch);
      lines.writeTo(target); // one write of whole lines
      target.flush();
      if (failing) {
        failing = false;
        log.info("access log: writing to {} again", destination);
      }
    } catch (IOException | RuntimeException e) {
      for (int i = 0; i < batch.size(); i++) {
        onDrop.run();
      }
      if (!failing) {
        failing = true;
        log.warn("access log: cannot write to {}: {}; lines are dropped (gateway_access_log_dropped_total)"
            + " until a write works again", destination, e.toString());
      }
    }
  }
}
