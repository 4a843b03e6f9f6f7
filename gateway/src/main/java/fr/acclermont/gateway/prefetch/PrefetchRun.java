package fr.acclermont.gateway.prefetch;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.cache.StoredObject;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of prefetching: it goes through the lists' objects one at a time, manifests first (each
 * manifest's index, PDF, video and assets are added after it is held, so the total is known early),
 * then the other entries, then what the manifests listed, each object once. Objects the pass did
 * before this run (a run stopped by a window's end or a restart) are counted done without a
 * request. Before each object the run checks it may go on (a window is open, or it was asked for)
 * and whether a list changed (its new entries are added). An origin found down makes the run wait
 * for it rather than fail object after object. Runs on the prefetch's thread.
 */
final class PrefetchRun {

  private static final Logger log = LoggerFactory.getLogger(PrefetchRun.class);
  /** A manifest is read whole; a larger one is a mistake. */
  static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
  /** How long the run waits before looking at a down origin again. */
  private static final long ORIGIN_DOWN_RETRY_MILLIS = 2000;

  /** What the run asks its prefetcher. */
  interface Owner {
    /** Whether the run may start another object: not stopping, and a window is open or it was asked for. */
    boolean mayGoOn(PrefetchRun run);

    /**
     * The run stopped before its end: a window closed, or no list could be read ({@code unread}:
     * tried again a little later, not at once); the pass goes on at the next run.
     */
    void paused(PrefetchRun run, boolean unread);

    /** The run went through every object. */
    void completed(PrefetchRun run);

    /** Something the status shows changed. */
    void changed();
  }

  private final Owner owner;
  private final PrefetchMeans means;
  private final PrefetchLists lists;
  private final Targets targets;
  private final PrefetchProgress progress;
  private final boolean manual;
  private final Instant started;
  private final List<PrefetchTarget> order = new ArrayList<>();
  private final Set<String> planned = new HashSet<>();
  private int next;
  private long done;
  private long failed;
  private long bytes;
  private @Nullable PrefetchTarget current;
  private @Nullable String lastError;
  private boolean ended;

  PrefetchRun(Owner owner, PrefetchMeans means, PrefetchLists lists, Targets targets, PrefetchProgress progress,
      boolean manual, Instant started) {
    this.owner = requireNonNull(owner, "owner");
    this.means = requireNonNull(means, "means");
    this.lists = requireNonNull(lists, "lists");
    this.targets = requireNonNull(targets, "targets");
    this.progress = requireNonNull(progress, "progress");
    this.manual = manual;
    this.started = requireNonNull(started, "started");
  }

  /** Reads the lists (fetching those given by URL), then goes. */
  void start() {
    lists.refresh(true, System.nanoTime(), means.executor()).whenComplete((changed, failure) -> {
      if (failure != null) {
        lastError = "lists: " + failure;
      }
      plan();
      step();
    });
  }

  /** Adds the lists' entries not planned yet: manifests before the rest, in list order. */
  private void plan() {
    List<PrefetchTarget> manifests = new ArrayList<>();
    List<PrefetchTarget> others = new ArrayList<>();
    for (PrefetchLists.Entry entry : lists.entries()) {
      PrefetchTarget target;
      try {
        target = targets.resolve(entry.text(), entry.list());
      } catch (RuntimeException e) { // IllegalArgumentException: why no client could ask for it
        lastError = "list " + entry.list() + ": " + abbreviated(entry.text()) + ": " + e.getMessage();
        log.warn("prefetch {}", lastError);
        continue;
      }
      (target.manifest() ? manifests : others).add(target);
    }
    manifests.forEach(this::add);
    others.forEach(this::add);
    if (lists.lastError() != null && lastError == null) {
      lastError = lists.lastError();
    }
  }

  private void add(PrefetchTarget target) {
    if (planned.add(target.id())) {
      order.add(target);
    }
  }

  /** Starts the next object, or ends the run. */
  private void step() {
    current = null;
    if (!owner.mayGoOn(this)) {
      end(false);
      return;
    }
    if (lists.filesChanged() || lists.urlRefreshDue(System.nanoTime())) {
      lists.refresh(false, System.nanoTime(), means.executor()).whenComplete((changed, failure) -> {
        if (Boolean.TRUE.equals(changed)) {
          plan();
        }
        step();
      });
      return;
    }
    // Objects the pass did before: counted at once, without a request (a manifest is read again).
    while (next < order.size() && !order.get(next).manifest() && progress.done(order.get(next).id())) {
      next++;
      done++;
    }
    if (next == order.size()) {
      end(true);
      return;
    }
    PrefetchTarget target = order.get(next);
    if (!target.route().reachable()) {
      lastError = "origin " + target.route().name() + " is down: waiting for it";
      owner.changed();
      later(this::step, ORIGIN_DOWN_RETRY_MILLIS);
      return;
    }
    next++;
    current = target;
    owner.changed();
    // Async: an object found whole completes at once, and the next one must not grow the stack.
    CompletableFuture<ObjectPrefetch.Result> prefetch;
    try {
      prefetch = new ObjectPrefetch(means, target, progress.done(target.id())).run();
    } catch (RuntimeException e) {
      prefetch = CompletableFuture.failedFuture(e); // a bug: this object fails, the run goes on
    }
    prefetch.whenCompleteAsync((result, failure) -> prefetched(target, result, failure), means.executor());
  }

  private void prefetched(PrefetchTarget target, ObjectPrefetch.@Nullable Result result, @Nullable Throwable failure) {
    if (result == null) {
      result = new ObjectPrefetch.Result(ObjectPrefetch.Outcome.FAILED, null, String.valueOf(failure));
    }
    if (!result.outcome().done()) {
      failed++;
      lastError = target + ": " + result.error();
      log.info("prefetch of {} failed: {}", target, result.error());
      owner.changed();
      step();
      return;
    }
    done++;
    progress.did(target.id());
    log.debug("prefetch of {}: {}", target, result.outcome());
    if (target.manifest() && result.object() != null) {
      expand(target, result.object());
      return;
    }
    owner.changed();
    step();
  }

  /** Reads a manifest back from the cache and plans what it lists. */
  private void expand(PrefetchTarget manifest, StoredObject object) {
    StoredBodies.read(means.storage(), object, MAX_MANIFEST_BYTES)
        .thenApplyAsync(stored -> {
          try {
            byte[] json = Bodies.decode(stored, object.headers().get(HttpHeaderNames.CONTENT_ENCODING),
                MAX_MANIFEST_BYTES);
            return Targets.references(json, manifest.target());
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        }, means.executor())
        .whenCompleteAsync((references, failure) -> {
          if (references == null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            lastError = "manifest " + manifest + ": " + (cause == null ? "unreadable" : cause.getMessage());
            log.warn("prefetch {}", lastError);
          } else {
            for (String reference : references) {
              try {
                add(targets.resolve(reference, manifest.list()).listed());
              } catch (RuntimeException e) {
                lastError = "manifest " + manifest + ": " + abbreviated(reference) + ": " + e.getMessage();
              }
            }
          }
          owner.changed();
          step();
        }, means.executor());
  }

  private void end(boolean completed) {
    if (ended) {
      return;
    }
    ended = true;
    current = null;
    boolean unread = order.isEmpty() && lists.lastError() != null;
    if (completed && !unread) {
      owner.completed(this);
    } else {
      owner.paused(this, unread); // a pass with no list read is not a pass done
    }
  }

  private void later(Runnable step, long millis) {
    try {
      means.executor().schedule(step, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      end(false);
    }
  }

  private static String abbreviated(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  /** A body fetch received {@code n} bytes for this run. */
  void counted(long n) {
    bytes += n;
  }

  boolean manual() {
    return manual;
  }

  Instant started() {
    return started;
  }

  long done() {
    return done;
  }

  long failed() {
    return failed;
  }

  long total() {
    return order.size();
  }

  long bytes() {
    return bytes;
  }

  @Nullable PrefetchTarget current() {
    return current;
  }

  @Nullable String lastError() {
    return lastError;
  }
}
