package fr.acclermont.gateway.prefetch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured lists ({@code prefetch.lists}) and their last content: a file is read again when
 * its modification time changes, a URL is fetched again when a run starts and every
 * {@code prefetch.list-refresh}. A list that cannot be read keeps its last content (none before the
 * first read) and says why in {@link #lastError()}. Not thread-safe: the prefetch's thread only.
 */
final class PrefetchLists {

  private static final Logger log = LoggerFactory.getLogger(PrefetchLists.class);

  /** A list is read whole; a larger one is a mistake (a catalog of 1,000 books is about 100 KiB). */
  static final int MAX_LIST_BYTES = 4 * 1024 * 1024;

  /** One entry of a list, as written. */
  record Entry(String text, String list) {
  }

  /** One configured list. */
  private static final class Source {
    final String location;
    final boolean url;
    List<String> entries = List.of();
    @Nullable FileTime modified;
    long fetchedNanos;
    boolean fetched;

    Source(String location) {
      this.location = location;
      String lower = location.toLowerCase(Locale.ROOT);
      this.url = lower.startsWith("http://") || lower.startsWith("https://");
    }
  }

  private final List<Source> sources = new ArrayList<>();
  private final long refreshNanos;
  /** Fetches a list given by URL: its decoded bytes. */
  private final Function<String, CompletableFuture<byte[]>> fetch;
  private @Nullable String lastError;

  /**
   * @param locations the configured lists: file paths or URLs
   * @param refreshNanos how often a list given by URL is fetched again
   * @param fetch GETs a list given by URL (completing on any thread)
   */
  PrefetchLists(List<String> locations, long refreshNanos, Function<String, CompletableFuture<byte[]>> fetch) {
    locations.forEach(location -> sources.add(new Source(location)));
    this.refreshNanos = refreshNanos;
    this.fetch = requireNonNull(fetch, "fetch");
  }

  /**
   * Reads again the files whose modification time changed and, when {@code forceUrls} or their
   * refresh is due, the lists given by URL. Completes on {@code executor} (the prefetch's thread)
   * with whether any list's entries changed.
   */
  CompletableFuture<Boolean> refresh(boolean forceUrls, long nowNanos, Executor executor) {
    boolean changed = false;
    List<CompletableFuture<Boolean>> fetches = new ArrayList<>();
    for (Source source : sources) {
      if (!source.url) {
        changed |= readFile(source);
      } else if (forceUrls || !source.fetched || nowNanos - source.fetchedNanos >= refreshNanos) {
        source.fetched = true;
        source.fetchedNanos = nowNanos;
        fetches.add(fetch.apply(source.location).handleAsync((bytes, failure) -> {
          if (bytes == null) {
            failed(source, failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause().getMessage() : String.valueOf(failure.getMessage()));
            return false;
          }
          return update(source, Targets.entries(bytes));
        }, executor));
      }
    }
    boolean filesChanged = changed;
    return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).thenApplyAsync(
        ignored -> filesChanged || fetches.stream().anyMatch(f -> f.join()), executor);
  }

  /** Whether a list given by URL is due to be fetched again. */
  boolean urlRefreshDue(long nowNanos) {
    return sources.stream().anyMatch(s -> s.url && (!s.fetched || nowNanos - s.fetchedNanos >= refreshNanos));
  }

  /** Whether any file's modification time changed since it was last read. */
  boolean filesChanged() {
    for (Source source : sources) {
      if (!source.url && !java.util.Objects.equals(modified(source), source.modified)) {
        return true;
      }
    }
    return false;
  }

  /** Every entry of every list, in list order. */
  List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    for (Source source : sources) {
      source.entries.forEach(text -> entries.add(new Entry(text, source.location)));
    }
    return entries;
  }

  /** Why a list could not be read last, or null. */
  @Nullable String lastError() {
    return lastError;
  }

  private boolean readFile(Source source) {
    FileTime modified = modified(source);
    if (modified != null && modified.equals(source.modified)) {
      return false;
    }
    source.modified = modified;
    Path file = Path.of(source.location);
    try {
      if (Files.size(file) > MAX_LIST_BYTES) {
        failed(source, "larger than " + MAX_LIST_BYTES + " bytes");
        return false;
      }
      return update(source, Targets.entries(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      failed(source, "no such file");
    } catch (IOException | RuntimeException e) {
      failed(source, e.toString());
    }
    return false;
  }

  private static @Nullable FileTime modified(Source source) {
    try {
      return Files.getLastModifiedTime(Path.of(source.location));
    } catch (IOException e) {
      return null;
    }
  }

  private boolean update(Source source, List<String> entries) {
    if (entries.equals(source.entries)) {
      return false;
    }
    log.info("prefetch list {}: {} entries", source.location, entries.size());
    source.entries = List.copyOf(entries);
    return true;
  }

  private void failed(Source source, String why) {
    lastError = "list " + source.location + ": " + why;
    log.warn("prefetch list {} cannot be read: {}", source.location, why);
  }
}
