package fr.acclermont.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.metrics.ReloadMeters.Result;
import fr.acclermont.gateway.testing.HeldOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client connection kept open across a reload (a browser's keep-alive connection, used again and
 * again, may outlive any number of reloads): its next request is routed by the origins of the
 * configuration now, not of when it connected. A moved origin is asked at its new URL, a removed
 * one is no longer asked, an added one is routed to.
 */
class ReloadKeptConnectionsTest {

  @TempDir
  Path work;

  private HeldOrigin origin;
  private Path file;
  private Gateway gateway;

  @BeforeEach
  void start() throws IOException {
    origin = HeldOrigin.start();
    file = work.resolve("gateway.yaml");
    write(origin.baseUri(), "");
    gateway = Gateway.start(ConfigLoader.load(file, Map.of()), Clock.systemUTC(), file, Map.of());
  }

  @AfterEach
  void stop() throws IOException {
    gateway.close();
    origin.close();
  }

  private void write(URI to, String extra) throws IOException {
    Files.writeString(file, TestGateways.yaml(to, extra));
  }

  private void reloadApplied() throws Exception {
    ReloadOutcome outcome = gateway.reload().get(30, TimeUnit.SECONDS);
    assertThat(outcome.result()).as(outcome.message()).isEqualTo(Result.APPLIED);
  }

  @Test
  void reload_originUrlChanged_keptConnectionsNextRequestGoesToTheNewUrl() throws Exception {
    try (HeldOrigin moved = HeldOrigin.start();
        TestHttpClient kept = TestHttpClient.connect(gateway.port())) {
      assertThat(kept.get("/blobs/before").read().text()).isEqualTo("ok");

      write(moved.baseUri(), "");
      reloadApplied();
      TestHttpClient.Response after = kept.get("/blobs/after").read();

      assertThat(after.status()).isEqualTo(200);
      assertThat(moved.received()).containsExactly("/blobs/after");
      assertThat(origin.received()).containsExactly("/blobs/before");
    }
  }

  @Test
  void reload_originRemoved_keptConnectionsNextRequestForItsPaths404() throws Exception {
    try (HeldOrigin extra = HeldOrigin.start()) {
      write(origin.baseUri(), extraOrigin(extra.baseUri()));
      reloadApplied();
      try (TestHttpClient kept = TestHttpClient.connect(gateway.port())) {
        assertThat(kept.get("/extra/before").read().text()).isEqualTo("ok");

        write(origin.baseUri(), "");
        reloadApplied();

        assertThat(kept.get("/extra/after").read().status()).isEqualTo(404);
      }
      assertThat(extra.received()).containsExactly("/extra/before");
    }
  }

  @Test
  void reload_originAdded_keptConnectionsNextRequestRoutedToIt() throws Exception {
    try (HeldOrigin extra = HeldOrigin.start();
        TestHttpClient kept = TestHttpClient.connect(gateway.port())) {
      assertThat(kept.get("/blobs/before").read().text()).isEqualTo("ok");

      write(origin.baseUri(), extraOrigin(extra.baseUri()));
      reloadApplied();

      assertThat(kept.get("/extra/after").read().text()).isEqualTo("ok");
      assertThat(extra.received()).containsExactly("/extra/after");
    }
  }

  /** The template's two origins and {@code extra} for {@code /extra/}. */
  private String extraOrigin(URI extra) {
    return """
        origins:
          - name: cloud
            url: %s
            paths: ["/books/", "/blobs/", "/_origin/"]
            connect-timeout: 1s
            response-timeout: 2s
            idle-timeout: 1s
          - name: down
            url: http://127.0.0.1:1
            paths: ["/down/"]
            connect-timeout: 1s
          - name: extra
            url: %s
            paths: ["/extra/"]
        """.formatted(origin.baseUri(), extra);
  }
}
