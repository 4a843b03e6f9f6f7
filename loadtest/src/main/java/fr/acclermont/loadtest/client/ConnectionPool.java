package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one simulated browser to the target: at most
 * {@link ClientOptions#maxConnectionsPerPool()} keep-alive connections, opened when requests wait
 * and reused in turn, and a FIFO queue of the requests waiting for one.
 *
 * <p>A request's latency is measured from the intended start given to {@link #submit}, normally
 * the moment it is queued, so the time spent waiting for a connection (and for the connection to
 * open) is part of it: a target that stalls a connection makes every request queued behind it
 * late, as a real user would see.
 *
 * <p>Thread-safe: {@link #submit} and {@link #abort} may be called from any thread and run on the
 * pool's event loop, where all its state lives; callbacks run on that event loop.
 */
public final class ConnectionPool {

  private static final Logger logger = LoggerFactory.getLogger(ConnectionPool.class);

  private final Bootstrap bootstrap;
  private final EventLoop loop;
  private final Target target;
  private final @Nullable SslContext tls;
  private final int maxConnections;
  private final long timeoutNanos;
  private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final Set<Connection> connections = new HashSet<>();
  private int connecting;
  private int opened;
  private @Nullable ErrorKind abortKind;
  private String abortDetail = "";

  ConnectionPool(Bootstrap bootstrap, EventLoop loop, Target target, @Nullable SslContext tls, int maxConnections,
      long timeoutNanos) {
    this.bootstrap = bootstrap;
    this.tls = tls;
    this.loop = loop;
    this.target = target;
    this.maxConnections = maxConnections;
    this.timeoutNanos = timeoutNanos;
  }

  /** Returns the event loop this pool's connections and callbacks run on. */
  public EventLoop eventLoop() {
    return loop;
  }

  /**
   * Queues a request. {@code callback} gets its result exactly once, on the pool's event loop.
   *
   * @param intendedStartNanos the {@link System#nanoTime()} its latency is measured from: the
   *     moment it was meant to be sent, which is never later than now
   */
  public void submit(RequestSpec spec, long intendedStartNanos, Consumer<RequestResult> callback) {
    requireNonNull(spec, "spec");
    requireNonNull(callback, "callback");
    if (!loop.inEventLoop()) {
      loop.execute(() -> submit(spec, intendedStartNanos, callback));
      return;
    }
    Exchange exchange = new Exchange(spec, intendedStartNanos, callback);
    if (abortKind != null) {
      deliver(exchange, exchange.result(abortKind, abortDetail));
      return;
    }
    queue.add(exchange);
    dispatch();
  }

  /**
   * Ends every queued and in-flight request with {@code kind} and closes every connection;
   * requests submitted later end at once with the same kind. Used when a run's time is up.
   */
  public void abort(ErrorKind kind, String detail) {
    requireNonNull(kind, "kind");
    requireNonNull(detail, "detail");
    if (!loop.inEventLoop()) {
      loop.execute(() -> abort(kind, detail));
      return;
    }
    if (abortKind != null) {
      return;
    }
    abortKind = kind;
    abortDetail = detail;
    List<Exchange> waiting = new ArrayList<>(queue);
    queue.clear();
    idle.clear();
    for (Connection connection : new ArrayList<>(connections)) {
      connection.abort(kind, detail);
    }
    for (Exchange exchange : waiting) {
      deliver(exchange, exchange.result(kind, detail));
    }
  }

  /** Returns how many connections this pool has opened (or tried to), for reports. */
  public int connectionsOpened() {
    return opened;
  }

  /** Called by a connection when its request ended; {@code reusable}: it may carry another. */
  void finished(Connection connection, RequestResult result, Exchange exchange, boolean reusable) {
    if (reusable && abortKind == null) {
      idle.add(connection);
    } else {
      connections.remove(connection);
    }
    dispatch();
    deliver(exchange, result);
  }

  /** Called by a connection that closed while idle. */
  void lost(Connection connection) {
    idle.remove(connection);
    if (connections.remove(connection)) {
      dispatch();
    }
  }

  private void dispatch() {
    if (abortKind != null) {
      return;
    }
    while (!queue.isEmpty()) {
      Connection connection = idle.poll();
      if (connection == null) {
        break;
      }
      connection.send(queue.poll());
    }
    // A browser opens a new connection only for a request that no opening one will take.
    while (queue.size() > connecting && connections.size() < maxConnections) {
      connect();
    }
  }

  private void connect() {
    Connection connection = new Connection(this, target, tls, timeoutNanos);
    connections.add(connection);
    connecting++;
    opened++;
    ChannelFuture connect = bootstrap.clone().handler(connection.initializer()).connect();
    connect.addListener(future -> {
      connecting--;
      if (future.isSuccess()) {
        if (abortKind != null) {
          connect.channel().close();
          return;
        }
        idle.add(connection);
        dispatch();
        return;
      }
      connections.remove(connection);
      // Each failed attempt fails the oldest waiting request, so a dead target fails every
      // request once, in a bounded number of attempts, instead of retrying forever.
      Exchange first = queue.poll();
      if (first != null) {
        deliver(first, first.result(ErrorKind.CONNECT, String.valueOf(future.cause())));
      }
      // Later: a refused connect can fail inside connect(), and recursing per request would
      // grow the stack with the queue.
      loop.execute(this::dispatch);
    });
  }

  private static void deliver(Exchange exchange, RequestResult result) {
    try {
      exchange.callback.accept(result);
    } catch (RuntimeException e) {
      logger.warn("result callback failed for {}", result, e);
    }
  }
}
