package fr.acclermont.gateway.origin;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Watches a request body streaming to the origin, and says who stalled it. Each piece the client
 * hands over, and each piece the origin connection takes, is progress; none within the idle
 * timeout is a stall: the origin's if a piece still waits to be taken, else the client's. Without
 * it an origin that stops reading an upload would hold both connections for good: backpressure
 * stops reading the client, so even a client that gives up goes unnoticed (its FIN waits behind
 * the unread body). One timer re-arms itself from the last progress, rather than one per piece.
 *
 * <p>Progress alone lets a client trickle a byte now and then and hold an origin connection for
 * as long as it likes, so the client must also keep a minimum average rate ({@link BodyRate}),
 * like nginx's {@code client_body_timeout} but by rate. Only the client's time counts: the time
 * the gateway waits for the next piece, everything handed over having been taken by the origin.
 * While a piece waits for the origin the client is not read (backpressure), and is not blamed for
 * it. The rate is averaged over windows of that reading time; a window below the minimum ends the
 * exchange as the client's stall. While the client is read, the timer runs at the window's end;
 * while the origin is, at least every quarter window, so a window is judged at most a quarter
 * window late.
 *
 * <p>Time is the event loop's ticker (the system's on a real loop; a test's may be frozen). Event
 * loop only. Not thread-safe.
 */
final class RequestBodyWatch {

  /**
   * The minimum rate a client must send a request body at.
   *
   * @param minBytesPerSecond the minimum; 0 for none
   * @param windowNanos the reading time it is averaged over
   */
  record BodyRate(long minBytesPerSecond, long windowNanos) {
    /** No minimum rate. */
    static final BodyRate NONE = new BodyRate(0, 1);
  }

  private final EventLoop loop;
  private final long idleNanos;
  private final BodyRate rate;
  private final Runnable originStopped;
  private final Consumer<String> clientStopped;
  private long progressNanos;
  private int pendingWrites;
  private boolean stopped;
  private @Nullable ScheduledFuture<?> timer;
  /** Since when the gateway waits for the client, while {@code pendingWrites == 0}. */
  private long readingSinceNanos;
  /** The reading time of the current window, up to {@link #readingSinceNanos}. */
  private long windowReadingNanos;
  private long windowBytes;

  /**
   * Starts watching; the gateway waits for the client's first piece from now.
   *
   * @param originStopped told of a stall while pieces wait for the origin to take them
   * @param clientStopped told, with why, of a stall while the origin has taken everything, or of a
   *     client below the minimum rate
   */
  RequestBodyWatch(EventLoop loop, long idleNanos, BodyRate rate, Runnable originStopped,
      Consumer<String> clientStopped) {
    this.loop = loop;
    this.idleNanos = idleNanos;
    this.rate = rate;
    this.originStopped = originStopped;
    this.clientStopped = clientStopped;
    this.progressNanos = loop.ticker().nanoTime();
    this.readingSinceNanos = progressNanos;
    arm();
  }

  /**
   * A piece of the body was handed to the origin connection; {@code write} completes when it is
   * taken.
   *
   * @param bytes the piece's size
   */
  void written(ChannelFuture write, int bytes) {
    long now = loop.ticker().nanoTime();
    progressNanos = now;
    if (pendingWrites == 0) {
      windowReadingNanos += now - readingSinceNanos;
    }
    windowBytes += bytes;
    pendingWrites++;
    write.addListener(f -> {
      long taken = loop.ticker().nanoTime();
      pendingWrites--;
      progressNanos = taken;
      if (pendingWrites == 0) {
        readingSinceNanos = taken;
      }
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

  private long readingNanos(long now) {
    return windowReadingNanos + (pendingWrites == 0 ? now - readingSinceNanos : 0);
  }

  private void arm() {
    long now = loop.ticker().nanoTime();
    long waitNanos = progressNanos + idleNanos - now;
    if (rate.minBytesPerSecond() > 0) {
      long windowLeft = pendingWrites == 0 ? rate.windowNanos() - readingNanos(now) : rate.windowNanos() / 4;
      waitNanos = Math.min(waitNanos, windowLeft);
    }
    timer = loop.schedule(this::check, Math.max(waitNanos, 0), TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (stopped) {
      return;
    }
    long now = loop.ticker().nanoTime();
    if (now - progressNanos >= idleNanos) {
      stopped = true;
      if (pendingWrites > 0) {
        originStopped.run();
      } else {
        clientStopped.accept("the request body stopped arriving");
      }
      return;
    }
    long reading = readingNanos(now);
    if (rate.minBytesPerSecond() > 0 && reading >= rate.windowNanos()) {
      // bytes / seconds below the minimum, in doubles: rate x nanoseconds can overflow a long
      if (windowBytes * 1e9 < (double) rate.minBytesPerSecond() * reading) {
        stopped = true;
        clientStopped.accept("the request body arrived too slowly (" + windowBytes + " bytes in "
            + TimeUnit.NANOSECONDS.toMillis(reading) + " ms, under " + rate.minBytesPerSecond() + " bytes/s)");
        return;
      }
      windowBytes = 0;
      windowReadingNanos = 0;
      readingSinceNanos = now;
    }
    arm();
  }
}
