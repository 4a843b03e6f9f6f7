package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.metrics.ReloadMeters.Result;
import fr.acclermont.gateway.reload.ReloadOutcome;
import fr.acclermont.gateway.testing.HeldOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP/2 connection lives long (one per browser and host, many streams): a stream opened on it
 * after a reload is routed by the origins of the configuration now, as on a new connection.
 */
class Http2ReloadRoutesTest {

  @TempDir
  Path dir;

  @Test
  void reload_originUrlChanged_nextStreamOnTheSameConnectionGoesToTheNewUrl() throws Exception {
    TlsEdgeFixture.writePair(dir, TestPki.LOOPBACK);
    Path file = dir.resolve("gateway.yaml");
    try (HeldOrigin origin = HeldOrigin.start(); HeldOrigin moved = HeldOrigin.start()) {
      Files.writeString(file, TestGateways.yaml(origin.baseUri(), TlsEdgeFixture.tlsYaml(dir, "")));
      try (Gateway gateway = Gateway.start(ConfigLoader.load(file, Map.of()), Clock.systemUTC(), file, Map.of())) {
        HttpClient h2 = Http2EdgeTest.client(HttpClient.Version.HTTP_2);
        HttpResponse<String> before = h2.send(get(gateway, "/blobs/before"), HttpResponse.BodyHandlers.ofString());
        assertThat(before.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(before.body()).isEqualTo("ok");
        double connections = connections(gateway);

        Files.writeString(file, TestGateways.yaml(moved.baseUri(), TlsEdgeFixture.tlsYaml(dir, "")));
        ReloadOutcome outcome = gateway.reload().get(30, TimeUnit.SECONDS);
        assertThat(outcome.result()).as(outcome.message()).isEqualTo(Result.APPLIED);
        HttpResponse<String> after = h2.send(get(gateway, "/blobs/after"), HttpResponse.BodyHandlers.ofString());

        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(connections(gateway)).as("the same connection").isEqualTo(connections);
        assertThat(moved.received()).containsExactly("/blobs/after");
        assertThat(origin.received()).containsExactly("/blobs/before");
      }
    }
  }

  private static HttpRequest get(Gateway gateway, String target) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.tlsPort() + target))
        .timeout(Duration.ofSeconds(30)).build();
  }

  private static double connections(Gateway gateway) {
    return gateway.metrics().registry().get("gateway.connections.active").gauge().value();
  }
}
