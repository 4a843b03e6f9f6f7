package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM stops accepting, lets a response in flight finish, and cuts what is still busy after the grace. */
class GracefulShutdownTest {

  @Test
  void close_withResponseInFlight_finishesItAndRefusesNewConnections() throws Exception {
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build())) {
      // A grace no busy machine exhausts: the response must finish because the gateway waits for it.
      Gateway gateway = TestGateways.start(origin.baseUri(), "timeouts: { shutdown: 60s }\n", Clock.systemUTC());
      int port = gateway.port();
      String path = "/blobs/20MiB/drain";
      try (TestHttpClient client = TestHttpClient.connect(port)) {
        client.get(path + "?cc=no-store");
        // Two origin requests: the probe, abandoned on no-store, then this client's pass-through.
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.stats().requests(path) == 2);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThatThrownBy(() -> TestHttpClient.connect(port).close()).isInstanceOf(IOException.class));
        Response response = client.readDigestOnly();
        closing.get(30, TimeUnit.SECONDS); // the connection ends with its response: no wait for the grace

        assertThat(response.complete()).isTrue();
        assertThat(response.sha256()).isEqualTo(ExpectedContent.sha256(path, 20 << 20));
        assertThat(client.isClosedByPeer()).isTrue();
      }
    }
  }

  @Test
  void close_responseThatCannotFinishInTheGrace_cutOnceTheGraceIsOver() throws Exception {
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build())) {
      Gateway gateway = TestGateways.start(origin.baseUri(), "timeouts: { shutdown: 1s }\n", Clock.systemUTC());
      String path = "/blobs/200MiB/never-drained";
      try (TestHttpClient client = TestHttpClient.connect(gateway.port(), 64 * 1024)) {
        TestHttpClient.Head head = client.get(path + "?cc=no-store").readStatusAndHeaders();
        assertThat(head.status()).isEqualTo(200);

        // The client reads nothing more: its response cannot end within the grace.
        CompletableFuture.runAsync(gateway::close).get(30, TimeUnit.SECONDS);
        Response response = client.readBodyDigestOnly(head);

        assertThat(response.complete()).as("a body cut by the shutdown, never one that looks whole").isFalse();
        assertThat(response.bodyLength()).isLessThan(200L << 20);
      }
    }
  }
}
