package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects stored per variant ({@code Vary}) are found again after a restart: the gateway relearns
 * what each stored URL varies on from its disk copies, so a tablet's request is looked up under
 * its variant's key at once, without the origin revealing {@code Vary} again. Otherwise a restart
 * during an uplink outage would leave every asset served with {@code Vary: Accept-Encoding}
 * unreachable.
 */
class DiskVariantsRestartTest {

  private static final String PATH = "/blobs/64KiB/varies-by-coding?vary=Accept-Encoding";

  @TempDir
  Path dir;
  private DemoOrigin origin;

  @BeforeEach
  void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterEach
  void stopOrigin() {
    origin.close();
  }

  private Gateway start() {
    return TestGateways.start(origin.baseUri(), "cache: { disk: { path: \"" + dir + "\", max-bytes: 1GiB } }\n",
        Clock.systemUTC());
  }

  private static Response get(Gateway gateway, String acceptEncoding) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(PATH, "Accept-Encoding: " + acceptEncoding).readDigestOnly();
    }
  }

  private long metadataFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".meta")).count();
    }
  }

  @Test
  void restart_variantStoredBefore_diskHitUnderItsVariantWithoutTheOrigin() throws Exception {
    Gateway first = start();
    String sha256;
    try {
      Response stored = get(first, "gzip, br"); // reveals the Vary: stored under its variant at once
      assertThat(stored.header("Cache-Status")).endsWith("stored");
      assertThat(get(first, "gzip, br").header("Cache-Status")).startsWith("edge; hit");
      sha256 = stored.sha256();
      await().atMost(Duration.ofSeconds(10)).until(() -> metadataFiles() == 1);
    } finally {
      first.close();
    }
    long originRequests = origin.stats().requests("/blobs/64KiB/varies-by-coding");

    Gateway second = start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> second.metrics().registry()
          .get("gateway.disk.index.loaded").gauge().value() == 1);
      Response again = get(second, "br;q=1.0, gzip"); // the same variant, written otherwise
      Response other = get(second, "identity");

      assertThat(again.status()).isEqualTo(200);
      assertThat(again.sha256()).isEqualTo(sha256);
      assertThat(again.header("Cache-Status")).startsWith("edge; hit").endsWith("detail=disk");
      assertThat(other.header("Cache-Status")).as("another variant, never stored").startsWith("edge; fwd=miss");
      assertThat(origin.stats().requests("/blobs/64KiB/varies-by-coding")).as("only the other variant's fetch")
          .isEqualTo(originRequests + 1);
    } finally {
      second.close();
    }
  }
}
