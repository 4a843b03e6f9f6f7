package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who stalled an upload, and when, on a frozen clock (an {@link EmbeddedChannel}'s event loop):
 * a client below the minimum rate is stopped at the end of its window of reading time, not a
 * millisecond before; an origin that takes nothing is blamed at the idle timeout, however long
 * past the rate window, since time waiting for the origin is not the client's. (Over real
 * sockets: {@code SlowUploadTest}.)
 */
class RequestBodyWatchTest {

  private static final long IDLE_MILLIS = 3_000;
  private static final long WINDOW_MILLIS = 1_000;
  private static final RequestBodyWatch.BodyRate RATE =
      new RequestBodyWatch.BodyRate(100, TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS));

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final List<String> stops = new ArrayList<>();

  private RequestBodyWatch watch() {
    channel.freezeTime();
    return new RequestBodyWatch(channel.eventLoop(), TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS), RATE,
        () -> stops.add("origin"), why -> stops.add("client: " + why));
  }

  private void advance(long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void clientBelowTheMinimumRate_stoppedAtTheEndOfItsWindow() {
    RequestBodyWatch watch = watch();
    for (int i = 0; i < 9; i++) {
      advance(100);
      ChannelPromise taken = channel.newPromise();
      watch.written(taken, 1); // a byte every 100 ms: 10 bytes/s, under 100
      taken.setSuccess(); // the origin takes it at once
    }
    advance(99);
    assertThat(stops).as("1 ms before the window ends").isEmpty();

    advance(1);
    assertThat(stops).containsExactly(
        "client: the request body arrived too slowly (9 bytes in 1000 ms, under 100 bytes/s)");
  }

  @Test
  void originTakesNothing_originBlamedAtTheIdleTimeoutNotTheClientAtTheWindow() {
    RequestBodyWatch watch = watch();
    advance(10);
    watch.written(channel.newPromise(), 64 * 1024); // never taken

    advance(IDLE_MILLIS - 1);
    assertThat(stops).as("past the rate window, 1 ms before the idle timeout").isEmpty();
    advance(1);
    assertThat(stops).containsExactly("origin");
  }
}
