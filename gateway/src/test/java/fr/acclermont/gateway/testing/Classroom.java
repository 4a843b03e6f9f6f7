package fr.acclermont.gateway.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Test clients that all connect first and then start at once, each on its own connection and
 * thread, as a class opening the same book at 08:00. Every wait is bounded by the patience given.
 * {@link #close()} stops the threads.
 */
public final class Classroom implements AutoCloseable {

  private final ExecutorService students;
  private final Duration patience;

  /** A classroom of at most {@code size} clients running at once; each wait lasts at most {@code patience}. */
  public Classroom(int size, Duration patience) {
    this.students = Executors.newFixedThreadPool(size);
    this.patience = patience;
  }

  /** One client's work on its own connection. */
  @FunctionalInterface
  public interface ClientTask<T> {

    /** Runs client {@code id} (0-based) on {@code client}, which is closed afterwards. */
    T run(int id, TestHttpClient client) throws Exception;
  }

  /**
   * Connects {@code clients} clients to 127.0.0.1:{@code port}, then lets them all run
   * {@code task} at once; returns their results in client order.
   *
   * @throws ExecutionException wrapping the first failure of a client (an assertion error too)
   * @throws TimeoutException if the clients did not all connect, or one did not finish, in time
   */
  public <T> List<T> together(int port, int clients, ClientTask<T> task) throws Exception {
    CountDownLatch connected = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int id = i;
      futures.add(students.submit(() -> {
        try (TestHttpClient client = TestHttpClient.connect(port)) {
          connected.countDown();
          if (!go.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("client " + id + " was never started");
          }
          return task.run(id, client);
        }
      }));
    }
    try {
      if (!connected.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimeoutException(connected.getCount() + " of " + clients + " clients did not connect");
      }
    } finally {
      go.countDown();
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(patience.toMillis(), TimeUnit.MILLISECONDS));
    }
    return results;
  }

  @Override
  public void close() {
    students.shutdownNow();
  }
}
