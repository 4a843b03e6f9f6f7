package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idle keep-alive connections to one origin or parent ({@link Upstream}), kept per event loop so that a client's request is
 * proxied over a connection served by the same thread: no cross-thread hand-off on the hot path.
 *
 * <p>Idle connections keep a read pending, so one the origin closes leaves the pool at once;
 * unexpected bytes on an idle connection close it ({@link OriginChannelHandler}).
 *
 * <p>Concurrency: each deque is touched only from its own event loop; the map of deques is
 * concurrent. A connection closed by the origin while idle removes itself from its deque.
 */
public final class OriginConnectionPool {

  /** Opens a new connection to an upstream (an origin or a parent) on a given loop. */
  @FunctionalInterface
  public interface Connector {
    /** Starts connecting; the future completes with a channel whose pipeline is ready. */
    ChannelFuture connect(Upstream upstream, EventLoop loop);
  }

  /**
   * A connection handed out by the pool.
   *
   * @param channel the connection
   * @param reused whether it was idle in the pool (it may have been closed by the origin meanwhile)
   */
  public record Lease(Channel channel, boolean reused) {
  }

  /** Which connection {@link #acquire} may hand out. */
  public enum ConnectionChoice {
    /** An idle connection of the loop if one is still open (the usual case), else a new one. */
    ANY,
    /**
     * A new connection, never an idle one: the retry after a reused connection failed before any
     * response byte (the origin closed it while it sat idle), so another idle one may be closed too.
     */
    NEW
  }

  private final Upstream upstream;
  private final Connector connector;
  private final Map<EventLoop, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();
  /** Set when a reload took the route out of service: connections are closed, not kept. */
  private volatile boolean retired;

  /** The idle connections kept per loop are the route's {@code max-idle-connections} now. */
  OriginConnectionPool(Upstream upstream, Connector connector) {
    this.upstream = requireNonNull(upstream, "upstream");
    this.connector = requireNonNull(connector, "connector");
  }

  /**
   * Hands out an idle connection of {@code loop}, or a new one. Must be called on {@code loop}.
   *
   * @param choice {@link ConnectionChoice#NEW} to force a new connection (the retry after a reused one failed)
   */
  public Promise<Lease> acquire(EventLoop loop, ConnectionChoice choice) {
    requireNonNull(choice, "choice");
    Promise<Lease> promise = loop.newPromise();
    if (choice == ConnectionChoice.ANY) {
      ArrayDeque<Channel> deque = idle.get(loop);
      while (deque != null && !deque.isEmpty()) {
        Channel channel = deque.pollLast(); // most recently used: least likely to be closed by the origin
        if (channel.isActive()) {
          return promise.setSuccess(new Lease(channel, true));
        }
      }
    }
    connector.connect(upstream, loop).addListener((ChannelFuture f) -> {
      if (f.isSuccess()) {
        Channel channel = f.channel();
        // Once per connection: a connection the origin closes while idle leaves the pool.
        channel.closeFuture().addListener(closed -> forget(channel));
        promise.setSuccess(new Lease(channel, false));
      } else {
        promise.setFailure(f.cause());
      }
    });
    return promise;
  }

  /** Returns a connection whose last response was complete and keep-alive. Call on its loop. */
  public void release(Channel channel) {
    EventLoop loop = channel.eventLoop();
    ArrayDeque<Channel> deque = idle.computeIfAbsent(loop, l -> new ArrayDeque<>());
    if (!channel.isActive() || retired || deque.size() >= upstream.route().config().maxIdleConnections()) {
      channel.close();
      return;
    }
    deque.addLast(channel);
    // Keep a read pending while idle: the origin closing the connection (its keep-alive timeout,
    // a restart) is then noticed at once and the connection leaves the pool, instead of being
    // found dead, or worse silently unanswered, by the next request.
    channel.read();
  }

  private void forget(Channel channel) {
    ArrayDeque<Channel> deque = idle.get(channel.eventLoop());
    if (deque != null) {
      deque.remove(channel);
    }
  }

  /** Keeps no connection from now on, and closes the idle ones (the route was retired by a reload). */
  void retire() {
    retired = true;
    closeIdle();
  }

  /** Closes every idle connection (shutdown). */
  public void closeIdle() {
    idle.forEach((loop, deque) -> loop.execute(() -> {
      for (Channel channel : deque.toArray(new Channel[0])) {
        channel.close();
      }
    }));
  }

  /** Idle connections of a loop, for tests. Call on that loop. */
  int idleCount(EventLoop loop) {
    ArrayDeque<Channel> deque = idle.get(loop);
    return deque == null ? 0 : deque.size();
  }
}
