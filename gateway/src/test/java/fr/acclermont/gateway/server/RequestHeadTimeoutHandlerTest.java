package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The request-header and keep-alive timeouts on a frozen clock: a head begun and not finished
 * gets its 408 at the request-header timeout exactly, not a millisecond before, and its access
 * log line says how long it waited; a connection that sends nothing is closed at the keep-alive
 * timeout. (Over real sockets: {@code AccessLogProxyTest}, {@code BadInputTest}.)
 */
class RequestHeadTimeoutHandlerTest {

  private static final long HEADER_MILLIS = 1_000;
  private static final long KEEP_ALIVE_MILLIS = 5_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final AccessLog accessLog = AccessLog.to(logged, () -> { }, 16);

  private EmbeddedChannel channel(RequestHeadTimeoutHandler handler) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.pipeline().addLast(handler);
    handler.awaitRequest();
    return channel;
  }

  private static RequestHeadTimeoutHandler handler(AccessLog accessLog) {
    return new RequestHeadTimeoutHandler(TimeUnit.MILLISECONDS.toNanos(HEADER_MILLIS),
        TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS), accessLog, Clock.systemUTC());
  }

  private static void advance(EmbeddedChannel channel, long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void headBegunNotFinished_408AtTheRequestHeaderTimeoutAndLoggedWithThatWait() throws Exception {
    EmbeddedChannel channel = channel(handler(accessLog));
    channel.writeInbound(Unpooled.copiedBuffer("GET /slow HTTP/1.1\r\nHost: t\r\n", StandardCharsets.US_ASCII));
    ((ByteBuf) channel.readInbound()).release();

    advance(channel, HEADER_MILLIS - 1);
    assertThat((Object) channel.readOutbound()).as("1 ms before the timeout").isNull();
    assertThat(channel.isActive()).isTrue();

    advance(channel, 1);
    ByteBuf answer = channel.readOutbound();
    assertThat(answer.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 408 Request Timeout\r\n");
    answer.release();
    assertThat(channel.isActive()).isFalse();
    accessLog.close();
    JsonNode line = JSON.readTree(logged.toString(StandardCharsets.UTF_8).trim());
    assertThat(line.get("status").asInt()).isEqualTo(408);
    assertThat(line.get("total_ms").asDouble()).as("waited from the first byte").isEqualTo((double) HEADER_MILLIS);
    assertThat(line.get("end").asText()).isEqualTo("complete");
  }

  @Test
  void nothingSent_closedQuietlyAtTheKeepAliveTimeout() {
    EmbeddedChannel channel = channel(handler(AccessLog.off()));

    advance(channel, KEEP_ALIVE_MILLIS - 1);
    assertThat(channel.isActive()).as("1 ms before the keep-alive timeout").isTrue();
    advance(channel, 1);
    assertThat(channel.isActive()).isFalse();
    assertThat((Object) channel.readOutbound()).as("closed without an answer").isNull();
    accessLog.close();
  }
}
