package fr.acclermont.gateway.prefetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What prefetching has done, kept across restarts in a file of the disk tier's directory
 * ({@value #FILE_NAME}; in memory only without a disk tier): the pass under way, if one is, with
 * the objects it has done, and the last pass completed with the window it completed in. A pass
 * stopped by a window's end or a restart goes on from there at the next run, without asking the
 * origin again about what it did. The file is rewritten when a pass starts or completes and
 * appended one line per object done; a line cut by a crash is ignored. Not thread-safe: the
 * prefetch's thread only (blocking file I/O, never on an event loop).
 *
 * <p>Lines: a header; {@code completed <millis> <window start millis or ->}; {@code pass <millis>
 * <manual|window>}; then {@code done <origin> <target>} per object.
 */
final class PrefetchProgress {

  /** The file's name in the disk tier's directory, beside the tier's own {@code objects/} and {@code slices/}. */
  static final String FILE_NAME = "prefetch-progress.txt";

  private static final Logger log = LoggerFactory.getLogger(PrefetchProgress.class);
  private static final String HEADER = "textbook-gateway prefetch progress 1";
  private static final long NONE = Long.MIN_VALUE;

  private final @Nullable Path file;
  private long passStartMillis = NONE;
  private boolean passManual;
  private final Set<String> done = new HashSet<>();
  private long completedMillis = NONE;
  private long completedWindow = NONE;

  private PrefetchProgress(@Nullable Path file) {
    this.file = file;
  }

  /** Reads the progress kept in {@code directory} (null: none kept, in memory only). */
  static PrefetchProgress load(@Nullable Path directory) {
    PrefetchProgress progress = new PrefetchProgress(directory == null ? null : directory.resolve(FILE_NAME));
    if (progress.file != null) {
      progress.read();
    }
    return progress;
  }

  private void read() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      log.warn("prefetch progress {} cannot be read ({}): starting afresh", file, e.toString());
      return;
    }
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      log.warn("prefetch progress {} is not of this format: starting afresh", file);
      return;
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] parts = line.split(" ", 3);
      try {
        switch (parts[0]) {
          case "completed" -> {
            completedMillis = Long.parseLong(parts[1]);
            completedWindow = parts[2].equals("-") ? NONE : Long.parseLong(parts[2]);
          }
          case "pass" -> {
            passStartMillis = Long.parseLong(parts[1]);
            passManual = parts[2].equals("manual");
          }
          case "done" -> {
            if (parts.length == 3 && passStartMillis != NONE) {
              done.add(parts[1] + ' ' + parts[2]);
            }
          }
          default -> {
            // a line cut by a crash, or of a later format: ignored
          }
        }
      } catch (RuntimeException e) {
        // a line cut by a crash: ignored
      }
    }
  }

  /** Whether a pass is under way (started, not completed). */
  boolean passUnderWay() {
    return passStartMillis != NONE;
  }

  /** Whether the pass under way was started on demand rather than by a window. */
  boolean passManual() {
    return passManual;
  }

  /** When the pass under way started, or 0 without one. */
  long passStartMillis() {
    return passUnderWay() ? passStartMillis : 0;
  }

  /** Whether the pass under way did {@code id} ({@link PrefetchTarget#id()}). */
  boolean done(String id) {
    return done.contains(id);
  }

  /** How many objects the pass under way did. */
  int doneCount() {
    return done.size();
  }

  /** When the last pass completed, or null. */
  java.time.@Nullable Instant lastCompleted() {
    return completedMillis == NONE ? null : java.time.Instant.ofEpochMilli(completedMillis);
  }

  /** Whether the last pass completed in the occurrence of a window starting at {@code windowStartMillis}. */
  boolean completedIn(long windowStartMillis) {
    return completedWindow != NONE && completedWindow == windowStartMillis;
  }

  /** Starts a new pass. */
  void startPass(long nowMillis, boolean manual) {
    passStartMillis = nowMillis;
    passManual = manual;
    done.clear();
    rewrite();
  }

  /** The pass under way did {@code id}. */
  void did(String id) {
    if (done.add(id)) {
      append("done " + id);
    }
  }

  /**
   * The pass under way completed, in the occurrence of a window starting at {@code windowStartMillis}
   * ({@code Long.MIN_VALUE}: in none).
   */
  void completePass(long nowMillis, long windowStartMillis) {
    passStartMillis = NONE;
    done.clear();
    completedMillis = nowMillis;
    completedWindow = windowStartMillis;
    rewrite();
  }

  private void rewrite() {
    if (file == null) {
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    if (completedMillis != NONE) {
      lines.add("completed " + completedMillis + " " + (completedWindow == NONE ? "-" : completedWindow));
    }
    if (passStartMillis != NONE) {
      lines.add("pass " + passStartMillis + " " + (passManual ? "manual" : "window"));
      done.forEach(id -> lines.add("done " + id));
    }
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.write(temporary, lines, StandardCharsets.UTF_8);
      try {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      log.warn("prefetch progress {} cannot be written ({}): a restart will start the pass afresh", file,
          e.toString());
    }
  }

  private void append(String line) {
    if (file == null) {
      return;
    }
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      log.warn("prefetch progress {} cannot be written ({})", file, e.toString());
    }
  }
}
