package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.demo.OriginProfile;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk tier and the offline mode in front of an HTTPS origin, as in front of a plain one: a
 * book fetched over TLS is kept across a restart and served from disk without the origin, and
 * served stale once the origin is out of reach.
 */
class HttpsDiskOfflineTest {

  private static final String PATH = "/blobs/3MiB/kept-over-tls";

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock();
  private DemoOrigin origin;

  @BeforeEach
  void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().profile(OriginProfile.HTTPS).build());
  }

  @AfterEach
  void stopOrigin() {
    origin.close();
  }

  private Gateway start() {
    return TestGateways.start(origin.baseUri(), origin.caFile().orElseThrow(),
        "cache: { disk: { path: \"" + dir + "\", max-bytes: 1GiB } }\n", clock);
  }

  private static Response get(Gateway gateway) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(PATH).readDigestOnly();
    }
  }

  private long sliceFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".slice")).count();
    }
  }

  @Test
  void httpsOrigin_restartServesFromDisk_thenStaleWhenTheOriginIsGone() throws Exception {
    String expected = ExpectedContent.sha256(PATH, 3 << 20);
    assertThat(origin.baseUri().getScheme()).isEqualTo("https");
    Gateway first = start();
    try {
      Response fetched = get(first);
      assertThat(fetched.sha256()).isEqualTo(expected);
      assertThat(fetched.header("Cache-Status")).endsWith("stored");
      await().atMost(Duration.ofSeconds(10)).until(() -> sliceFiles() == 3);
    } finally {
      first.close();
    }
    long originRequests = origin.stats().requests(PATH);

    Gateway second = start();
    try {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> second.metrics().registry().get("gateway.disk.index.loaded").gauge().value() == 1);
      Response fromDisk = get(second);
      origin.close();
      clock.advance(Duration.ofHours(2)); // beyond the blob's max-age=3600
      Response stale = get(second);

      assertThat(fromDisk.sha256()).isEqualTo(expected);
      assertThat(fromDisk.header("Cache-Status")).startsWith("edge; hit").endsWith("detail=disk");
      assertThat(stale.status()).isEqualTo(200);
      assertThat(stale.sha256()).isEqualTo(expected);
      assertThat(stale.header("Cache-Status")).startsWith("edge; fwd=stale");
      assertThat(origin.stats().requests(PATH)).isEqualTo(originRequests);
    } finally {
      second.close();
    }
  }
}
