package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.Sizes;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.SimpleResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code classroom --flood N}: between two classes, N distinct one-off objects requested once each
 * from the target ({@code /blobs/SIZE/flood-RUN-ROUND-I}, which the demo and loadtest origins serve
 * for any name), {@link #CONCURRENCY} at a time, each on a connection of its own as a crawler or a
 * cache-busting script sends them: what the next class finds of its book afterwards shows whether
 * such traffic evicted it. Bounded: N requests, each within the request timeout, the whole within
 * {@code maxTime}.
 */
final class Flood {

  /** Requests in flight at once. */
  static final int CONCURRENCY = 8;

  private Flood() {}

  /**
   * What a flood did.
   *
   * @param requests requests sent
   * @param ok answered 200 with a body of the expected size
   * @param failed failed, timed out, or answered otherwise
   * @param elapsed from the first request to the last answer
   */
  record Result(int requests, int ok, int failed, Duration elapsed) {

    String summary(long size) {
      return "flood: " + requests + " one-off objects of " + Sizes.format(size) + " (" + ok + " answered 200, "
          + failed + " failed) in " + String.format(java.util.Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
    }
  }

  /** The path of the {@code index}-th object of a flood. */
  static String path(long size, String run, int round, int index) {
    return "/blobs/" + Sizes.format(size) + "/flood-" + run + "-" + round + "-" + index;
  }

  /** Requests {@code count} one-off objects of {@code size} bytes from the client's target. */
  static Result run(LoadClient client, int count, long size, String run, int round, Duration maxTime)
      throws InterruptedException {
    requireNonNull(client, "client");
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long start = System.nanoTime();
    CompletableFuture<?>[] lanes = new CompletableFuture<?>[Math.min(CONCURRENCY, count)];
    for (int lane = 0; lane < lanes.length; lane++) {
      lanes[lane] = lane(client, next, count, size, run, round, ok, failed);
    }
    try {
      CompletableFuture.allOf(lanes).get(maxTime.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      next.set(count); // stop sending; what is still pending counts as failed
    }
    int sent = Math.min(next.get(), count);
    int failures = failed.get() + Math.max(0, sent - ok.get() - failed.get());
    return new Result(sent, ok.get(), failures, Duration.ofNanos(System.nanoTime() - start));
  }

  private static CompletableFuture<Void> lane(LoadClient client, AtomicInteger next, int count, long size, String run,
      int round, AtomicInteger ok, AtomicInteger failed) {
    int index = next.getAndIncrement();
    if (index >= count) {
      return CompletableFuture.completedFuture(null);
    }
    return client.control(client.target(), HttpMethod.GET, path(size, run, round, index))
        .handle((SimpleResponse response, Throwable error) -> {
          if (error == null && response.status() == 200 && response.body().length == size) {
            ok.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
          return null;
        })
        .thenCompose(ignored -> lane(client, next, count, size, run, round, ok, failed));
  }
}
