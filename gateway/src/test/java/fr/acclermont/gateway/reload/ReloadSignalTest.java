package fr.acclermont.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.ChildGateway;
import fr.acclermont.gateway.testing.FreePorts;
import fr.acclermont.gateway.testing.HeldOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP reloads the configuration file (what {@code systemctl reload} and the package's unit send):
 * the done-when of issue #19, on a gateway run as a child process ({@code run}, the real signal).
 * SIGHUP's default action would end the JVM: the gateway must go on, and the download under way
 * with it.
 */
class ReloadSignalTest {

  @TempDir
  Path work;

  @Test
  void run_sighup_reloadsChangedOriginTimeout_downloadUnderWayCompletes() throws Exception {
    try (HeldOrigin origin = HeldOrigin.start()) {
      int port = FreePorts.loopback();
      Path config = work.resolve("gateway.yaml");
      write(config, origin, port, "30s");
      Path output = work.resolve("child.log");
      Process child = ChildGateway.start(config, port, output);
      try {
        try (TestHttpClient download = TestHttpClient.connect(port)) {
          TestHttpClient.Head head = download.get("/blobs/held").readStatusAndHeaders();
          assertThat(head.status()).isEqualTo(200);
          assertThat(origin.awaitFirstHalf(10)).isTrue();

          write(config, origin, port, "1s");
          ChildGateway.signal(child, "HUP");
          await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(output).contains("applied origins"));

          assertThat(child.isAlive()).isTrue();
          try (TestHttpClient other = TestHttpClient.connect(port).timeout(20_000)) {
            assertThat(other.get("/blobs/stall").read().status()).isEqualTo(504);
          }
          origin.release();
          TestHttpClient.Response body = download.readBodyDigestOnly(head);
          assertThat(body.complete()).isTrue();
          assertThat(body.sha256()).isEqualTo(TestHttpClient.sha256(HeldOrigin.BODY));
        }
      } finally {
        child.destroy(); // SIGTERM: graceful
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(Files.readString(output)).contains("reload (" + config + "): applied origins");
    }
  }

  private static void write(Path config, HeldOrigin origin, int port, String responseTimeout) throws IOException {
    Files.writeString(config, TestGateways.yaml(origin.baseUri(), """
        server: { port: %d }
        origins:
          - name: cloud
            url: %s
            paths: ["/blobs/"]
            response-timeout: %s
            idle-timeout: 30s
        """.formatted(port, origin.baseUri(), responseTimeout)));
  }
}
