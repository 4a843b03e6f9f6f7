package fr.acclermont.gateway.origin;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Watches a request body streaming to the origin, and says who stalled it. Each piece the client
 * hands over, and each piece the origin connection takes, is progress; none within the idle
 * timeout is a stall: the origin's if a piece still waits to be taken, else the client's. Without
 * it an origin that stops reading an upload would hold both connections for good: backpressure
 * stops reading the client, so even a client that gives up goes unnoticed (its FIN waits behind
 * the unread body). One timer re-arms itself from the last progress, rather than one per piece.
 *
 * <p>Event loop only. Not thread-safe.
 */
final class RequestBodyWatch {

  private final EventLoop loop;
  private final long idleNanos;
  private final Runnable originStopped;
  private final Runnable clientStopped;
  private long progressNanos;
  private int pendingWrites;
  private boolean stopped;
  private @Nullable ScheduledFuture<?> timer;

  /**
   * Starts watching.
   *
   * @param originStopped told of a stall while pieces wait for the origin to take them
   * @param clientStopped told of a stall while the origin has taken everything
   */
  RequestBodyWatch(EventLoop loop, long idleNanos, Runnable originStopped, Runnable clientStopped) {
    this.loop = loop;
    this.idleNanos = idleNanos;
    this.originStopped = originStopped;
    this.clientStopped = clientStopped;
    this.progressNanos = System.nanoTime();
    arm();
  }

  /** A piece of the body was handed to the origin connection; {@code write} completes when it is taken. */
  void written(ChannelFuture write) {
    progressNanos = System.nanoTime();
    pendingWrites++;
    write.addListener(f -> {
      pendingWrites--;
      progressNanos = System.nanoTime();
    });
  }

  /** The body is all sent, or the exchange is over: nothing more to watch. */
  void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void arm() {
    long waitNanos = progressNanos + idleNanos - System.nanoTime();
    timer = loop.schedule(this::check, Math.max(waitNanos, 0), TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (stopped) {
      return;
    }
    if (System.nanoTime() - progressNanos < idleNanos) {
      arm();
      return;
    }
    stopped = true;
    if (pendingWrites > 0) {
      originStopped.run();
    } else {
      clientStopped.run();
    }
  }
}
