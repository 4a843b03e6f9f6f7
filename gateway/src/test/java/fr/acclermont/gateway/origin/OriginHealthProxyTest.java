package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Origin health over real sockets: a stopped origin is found down by the request that fails, shown
 * as {@code gateway_origin_up 0} on the management port, and found back by a probe, with no client
 * request; three 503s in a row mark it down too (one broken path among good ones never does) and a
 * good answer brings it up; shutdown leaves no probe behind.
 */
class OriginHealthProxyTest {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  void originStopped_requestFailsThenProbeFindsItBack_gaugeZeroThenOne() throws Exception {
    DemoOrigin[] origin = {DemoOrigin.start(DemoOriginOptions.builder().build())};
    int port = origin[0].port();
    try (Gateway gateway = TestGateways.start(origin[0].baseUri())) {
      OriginHealth health = gateway.router().route("/blobs/").origin().health();
      health.backoff(50, 200); // the production 1 s to 30 s, shortened
      assertThat(upGauge(gateway, "cloud")).isEqualTo(1.0);

      origin[0].close();
      Response failed = get(gateway, "/blobs/1KiB/while-down");

      assertThat(failed.status()).isIn(502, 504);
      assertThat(health.up()).isFalse();
      assertThat(health.downSinceMillis()).isPositive();
      assertThat(upGauge(gateway, "cloud")).isEqualTo(0.0);
      // The probes meet the closed port meanwhile, and the origin stays down.
      await().atMost(PATIENCE).until(() -> probes(gateway, "cloud", "down") >= 2);
      assertThat(health.up()).isFalse();

      origin[0] = DemoOrigin.start(DemoOriginOptions.builder().port(port).build());

      await().atMost(PATIENCE).until(() -> upGauge(gateway, "cloud") == 1.0);
      assertThat(health.up()).isTrue();
      assertThat(health.downSinceMillis()).isZero();
      assertThat(probes(gateway, "cloud", "up")).isEqualTo(1);
      // Only the probe, a HEAD of the base path, reached the restarted origin.
      assertThat(origin[0].stats().requests("/")).isGreaterThanOrEqualTo(1);
      assertThat(origin[0].stats().requests("/blobs/1KiB/while-down")).isZero();
    } finally {
      origin[0].close();
    }
  }

  @Test
  void origin503_marksDown_andAGoodAnswerBringsItUpWithoutAProbe() throws Exception {
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
        Gateway gateway = TestGateways.start(origin.baseUri())) {
      OriginHealth health = gateway.router().route("/blobs/").origin().health();
      health.backoff(3_600_000, 3_600_000); // no probe in this test: only client requests move the state

      get(gateway, "/blobs/1KiB/not-implemented?status=501");
      assertThat(health.up()).isTrue(); // 501: the origin answers, it does not know the method

      for (int i = 0; i < OriginHealth.STATUS_FAILURES_TO_GO_DOWN; i++) {
        assertThat(health.up()).as("after %d 503s", i).isTrue();
        assertThat(get(gateway, "/blobs/1KiB/unavailable-" + i + "?status=503").status()).isEqualTo(503);
      }

      assertThat(health.up()).isFalse();
      assertThat(upGauge(gateway, "cloud")).isEqualTo(0.0);

      Response good = get(gateway, "/blobs/1KiB/fine");

      assertThat(good.status()).isEqualTo(200);
      assertThat(health.up()).isTrue();
      assertThat(upGauge(gateway, "cloud")).isEqualTo(1.0);
      assertThat(origin.stats().requests("/")).isZero();
    }
  }

  @Test
  void onePathAnswering503AmongGoodOnes_originStaysUp() throws Exception {
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
        Gateway gateway = TestGateways.start(origin.baseUri())) {
      OriginHealth health = gateway.router().route("/blobs/").origin().health();

      for (int i = 0; i < 10; i++) {
        assertThat(get(gateway, "/blobs/1KiB/broken-" + i + "?status=503").status()).isEqualTo(503);
        assertThat(get(gateway, "/blobs/1KiB/fine-" + i).status()).isEqualTo(200);
        assertThat(health.up()).isTrue();
      }
      assertThat(upGauge(gateway, "cloud")).isEqualTo(1.0);
      assertThat(origin.stats().requests("/")).as("no probe").isZero();
    }
  }

  @Test
  void close_whileProbingADownOrigin_leavesNoProbeScheduledAndLogsNoError() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build())) {
      Gateway gateway = TestGateways.start(origin.baseUri());
      OriginHealth down = gateway.router().route("/down/").origin().health(); // 127.0.0.1:1, refused at once
      down.backoff(2, 10); // a probe is nearly always scheduled or in flight when close comes

      assertThat(get(gateway, "/down/x").status()).isEqualTo(502);
      await().atMost(PATIENCE).until(() -> probes(gateway, "down", "down") >= 3);
      gateway.close();

      assertThat(down.probeScheduled()).isFalse();
      assertThat(down.up()).isFalse();
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
    assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN && e.getLoggerName().equals(
        OriginHealth.class.getName())).singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("down (http://127.0.0.1:1)", "cannot connect"));
  }

  private static Response get(Gateway gateway, String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target).read();
    }
  }

  /** {@code gateway_origin_up{origin}} as the management port's {@code /metrics} shows it. */
  private static double upGauge(Gateway gateway, String origin) throws Exception {
    String text;
    try (TestHttpClient client = TestHttpClient.connect(gateway.adminPort())) {
      text = client.get("/metrics").read().text();
    }
    Matcher m = Pattern.compile("(?m)^gateway_origin_up\\{origin=\"" + origin + "\"\\} (\\S+)$").matcher(text);
    if (!m.find()) {
      throw new AssertionError("gateway_origin_up of " + origin + " not found in:\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }

  private static double probes(Gateway gateway, String origin, String outcome) {
    Counter counter = gateway.metrics().registry().find("gateway.origin.probes")
        .tags("origin", origin, "outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }
}
