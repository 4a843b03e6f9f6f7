package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.TestHttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator as a whole: the demo origin's catalog and hooks, latency, control endpoints under load. */
class OriginSimulatorTest {

  private static final Duration LATENCY = Duration.ofMillis(150);

  private OriginSimulator origin;

  @AfterEach
  void tearDown() {
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void latency_150ms_givenToTheDemoOriginAndAnswered() throws Exception {
    origin = OriginSimulator.start(OriginSettings.builder().latency(LATENCY).build());

    TimedFetch.Response response = TimedFetch.get(origin.port(), "/blobs/1KiB/late");

    assertThat(response.status()).isEqualTo(200);
    // What the latency does (nothing written before it, the response at it) is asserted on a
    // frozen clock by the gateway module's DemoOriginLifecycleTest.
    assertThat(origin.originOptions().latency()).isEqualTo(LATENCY);
  }

  @Test
  void catalogAndHooks_underShaping_servedAsByTheDemoOrigin() throws Exception {
    origin = OriginSimulator.start(OriginSettings.builder().bandwidth(Bandwidth.parse("10mbit")).build());
    String index = origin.catalog().books().get(0).indexPath();

    try (TestHttpClient client = TestHttpClient.connect(origin.port())) {
      TestHttpClient.Response catalog = client.get("/_origin/catalog").read();
      assertThat(catalog.status()).isEqualTo(200);
      assertThat(catalog.text()).contains(index);
      assertThat(client.get(index).read().status()).isEqualTo(200);
      assertThat(client.get(index + "?status=418").read().status()).isEqualTo(418);
    }
    assertThat(origin.catalogUri()).hasToString(origin.baseUri() + "/_origin/catalog");
  }

  @Test
  void stats_whileUplinkSaturatedBy35Connections_answeredAndReset() throws Exception {
    origin = OriginSimulator.start(OriginSettings.builder().bandwidth(Bandwidth.parse("20mbit")).build());

    try (RateProbe probe = RateProbe.start(origin.port(), Collections.nCopies(35, "/blobs/64MiB/busy"),
        Duration.ofSeconds(30))) {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> Arrays.stream(probe.bytesPerConnection()).allMatch(bytes -> bytes > 0));
      try (TestHttpClient client = TestHttpClient.connect(origin.port()).timeout(5_000)) {
        long start = System.nanoTime();
        TestHttpClient.Response stats = client.get("/_origin/stats").read();
        TestHttpClient.Response reset = client.request("POST", "/_origin/stats/reset", "Content-Length: 0").read();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.text()).contains("\"requests\":35");
        assertThat(reset.status()).isEqualTo(204);
        assertThat(origin.stats().requests()).isZero();
        // Each connection gets a 16 KiB turn per round; a round of 35 takes about 230 ms at 20mbit.
        // Answered at all within the client's 5 s timeout is what is asserted: a speed would flake.
        System.out.println("stats and reset under saturation: " + elapsed.toMillis() + " ms");
      }
    }
  }
}
