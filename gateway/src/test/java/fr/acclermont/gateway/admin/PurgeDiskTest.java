package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /purge} with the disk tier: what is purged leaves the disk too (its files are gone
 * when the answer comes, the tier's bytes fall), so it is not served from disk after a restart
 * either; what is outside the purge stays on disk; an object only on disk (after a restart,
 * memory empty) is counted like one in memory.
 */
class PurgeDiskTest {

  private static final String LANGUAGE = "/blobs/2MiB/purge-disk?vary=Accept-Language";
  private static final String LANGUAGE_PATH = "/blobs/2MiB/purge-disk";
  private static final String STORED = "edge; fwd=miss; fwd-status=200; stored";
  private static final long MIB = 1 << 20;

  private static DemoOrigin origin;

  @TempDir
  Path dir;

  @BeforeAll
  static void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  private Gateway start() {
    Gateway gateway = TestGateways.start(origin.baseUri(),
        "cache: { disk: { path: \"" + dir + "\", max-bytes: 1GiB } }\n", Clock.systemUTC());
    await().atMost(Duration.ofSeconds(10)).until(() -> gauge(gateway, "gateway.disk.index.loaded") == 1);
    return gateway;
  }

  private static Response get(Gateway gateway, String target, String... headers) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target, headers).readDigestOnly();
    }
  }

  private static Response purge(Gateway gateway, String parameter, String value) throws Exception {
    return PurgeEndpointTest.post(gateway.adminPort(),
        "/purge?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private static double gauge(Gateway gateway, String name) {
    return gateway.metrics().registry().get(name).gauge().value();
  }

  private static double tierBytes(Gateway gateway, String tier) {
    return gateway.metrics().registry().get("gateway.cache.bytes").tag("tier", tier).gauge().value();
  }

  private static double purges(Gateway gateway, String kind) {
    return gateway.metrics().registry().get("gateway.purges").tag("kind", kind).counter().count();
  }

  private List<Path> files(String under, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir.resolve(under))) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** What the tier weighs its files at: whole 4 KiB blocks. */
  private long filesOnDisk() throws IOException {
    long bytes = 0;
    for (Path file : Stream.concat(files("objects", ".meta").stream(), files("slices", ".slice").stream()).toList()) {
      bytes += (Files.size(file) + 4095) / 4096 * 4096;
    }
    return bytes;
  }

  @Test
  void url_everyVariantInMemoryAndOnDisk_filesGoneAtTheAnswer_notServedAfterARestart() throws Exception {
    Gateway first = start();
    try {
      assertThat(purges(first, "url")).isZero(); // exported from 0
      assertThat(purges(first, "prefix")).isZero();
      get(first, LANGUAGE, "Accept-Language: fr");
      get(first, LANGUAGE, "Accept-Language: en");
      // Write-behind: two metadata files, two slices of 1 MiB each per variant.
      await().atMost(Duration.ofSeconds(10)).until(() -> files("slices", ".slice").size() == 4
          && files("objects", ".meta").size() == 2 && tierBytes(first, "disk") == filesOnDisk());
      assertThat(tierBytes(first, "disk")).isGreaterThan(4 * MIB);
      assertThat(tierBytes(first, "memory")).isGreaterThan(4 * MIB);

      Response answer = purge(first, "url", LANGUAGE);

      assertThat(answer.text()).isEqualTo("{\"objects\":2,\"bytes\":" + 4 * MIB + "}\n");
      assertThat(files("slices", ".slice")).isEmpty();
      assertThat(files("objects", ".meta")).isEmpty();
      assertThat(tierBytes(first, "disk")).isZero();
      assertThat(tierBytes(first, "memory")).isZero();
      assertThat(purges(first, "url")).isEqualTo(1);
    } finally {
      first.close();
    }
    long originRequests = origin.stats().requests(LANGUAGE_PATH);

    Gateway second = start();
    try {
      Response french = get(second, LANGUAGE, "Accept-Language: fr");

      assertThat(french.header("Cache-Status")).isEqualTo(STORED);
      assertThat(french.sha256()).isEqualTo(ExpectedContent.sha256(LANGUAGE_PATH, 2 << 20));
      assertThat(origin.stats().requests(LANGUAGE_PATH)).isGreaterThan(originRequests);
    } finally {
      second.close();
    }
  }

  @Test
  void prefix_afterARestart_objectsOnDiskOnly_droppedAndCounted_othersStillDiskHits() throws Exception {
    List<String> under = List.of("/blobs/1MiB/purge-prefix/a", "/blobs/1MiB/purge-prefix/b?v=2");
    String outside = "/blobs/1MiB/purge-prefix-kept";
    Gateway first = start();
    try {
      for (String target : under) {
        get(first, target);
      }
      get(first, outside);
      await().atMost(Duration.ofSeconds(10)).until(() -> files("slices", ".slice").size() == 3
          && files("objects", ".meta").size() == 3);
    } finally {
      first.close();
    }

    Gateway second = start();
    try {
      assertThat(tierBytes(second, "memory")).isZero();
      double before = tierBytes(second, "disk");

      Response answer = purge(second, "prefix", "/blobs/1MiB/purge-prefix/");

      assertThat(answer.text()).isEqualTo("{\"objects\":2,\"bytes\":" + 2 * MIB + "}\n");
      assertThat(files("slices", ".slice")).hasSize(1);
      assertThat(files("objects", ".meta")).hasSize(1);
      assertThat(tierBytes(second, "disk")).isEqualTo(filesOnDisk()).isLessThan(before - 2 * MIB);
      assertThat(get(second, outside).header("Cache-Status")).startsWith("edge; hit").endsWith("detail=disk");
      for (String target : under) {
        Response again = get(second, target);
        assertThat(again.header("Cache-Status")).isEqualTo(STORED);
        assertThat(again.sha256()).isEqualTo(ExpectedContent.sha256(target.replaceFirst("\\?.*", ""), 1 << 20));
      }
    } finally {
      second.close();
    }
  }
}
