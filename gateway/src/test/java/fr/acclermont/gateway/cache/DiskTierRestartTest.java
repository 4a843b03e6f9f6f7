package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
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
 * The disk tier keeps the school's textbooks across restarts: what was fetched before is served
 * after a restart as a hit from disk without the origin, and a slice file damaged while the
 * gateway was stopped is detected, dropped and fetched again: a wrong byte never reaches a client.
 */
class DiskTierRestartTest {

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
    return TestGateways.start(origin.baseUri(), "cache: { disk: { path: \"" + dir + "\", max-bytes: 1GiB } }\n",
        Clock.systemUTC());
  }

  private static Response get(Gateway gateway, String target) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target).readDigestOnly();
    }
  }

  private static double diskBytes(Gateway gateway) {
    return gateway.metrics().registry().get("gateway.cache.bytes").tag("tier", "disk").gauge().value();
  }

  private static double metric(Gateway gateway, String name) {
    return gateway.metrics().registry().get(name).functionCounter().count();
  }

  private List<Path> sliceFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(dir.resolve("slices"))) {
      return walk.filter(p -> p.toString().endsWith(".slice")).sorted().toList();
    }
  }

  @Test
  void restart_objectsFetchedBefore_servedAsDiskHitsWithoutTheOrigin() throws Exception {
    String path = "/blobs/3MiB/kept-across-restarts";
    String expected = ExpectedContent.sha256(path, 3 << 20);
    Gateway first = start();
    try {
      assertThat(get(first, path).sha256()).isEqualTo(expected);
      // Write-behind: the three slices and the metadata reach the disk shortly after.
      await().atMost(Duration.ofSeconds(10)).until(() -> sliceFiles().size() == 3);
      await().atMost(Duration.ofSeconds(10)).until(() -> diskBytes(first) >= 3 << 20);
    } finally {
      first.close();
    }
    long originRequests = origin.stats().requests(path);

    Gateway second = start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> gauge(second, "gateway.disk.index.loaded") == 1);
      // A duration once loaded (NaN before): how long it took is the benchmarks' to measure.
      assertThat(gauge(second, "gateway.disk.index.load")).isFinite().isGreaterThanOrEqualTo(0.0);
      try (TestHttpClient admin = TestHttpClient.connect(second.adminPort())) {
        Response ready = admin.get("/readyz").read();
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.text()).isEqualTo("ready: disk index loaded\n");
      }
      Response again = get(second, path);

      assertThat(again.status()).isEqualTo(200);
      assertThat(again.sha256()).isEqualTo(expected);
      assertThat(again.header("Cache-Status")).startsWith("edge; hit").endsWith("detail=disk");
      assertThat(origin.stats().requests(path)).isEqualTo(originRequests);
    } finally {
      second.close();
    }
  }

  @Test
  void restart_byteFlippedInASliceFile_detectedAndFetchedAgain_neverServed() throws Exception {
    String path = "/blobs/2MiB/flipped-while-stopped";
    String expected = ExpectedContent.sha256(path, 2 << 20);
    Gateway first = start();
    try {
      get(first, path);
      await().atMost(Duration.ofSeconds(10)).until(() -> sliceFiles().size() == 2);
    } finally {
      first.close();
    }
    Path damaged = sliceFiles().get(0);
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[bytes.length - 1000] ^= 0x40; // a byte of the data, not of the header
    Files.write(damaged, bytes);
    long originRequests = origin.stats().requests(path);

    Gateway second = start();
    try {
      // A request before the index is loaded is a plain miss (the whole object fetched again).
      await().atMost(Duration.ofSeconds(10)).until(() -> gauge(second, "gateway.disk.index.loaded") == 1);
      Response again = get(second, path);

      assertThat(again.sha256()).isEqualTo(expected);
      assertThat(origin.stats().requests(path)).as("the damaged slice alone is fetched again")
          .isEqualTo(originRequests + 1);
      assertThat(metric(second, "gateway.disk.corrupt.reads")).isEqualTo(1);
    } finally {
      second.close();
    }
  }

  @Test
  void start_temporaryAndOrphanedFiles_removedAndCounted() throws Exception {
    Gateway first = start();
    first.close();
    Files.createDirectories(dir.resolve("slices/ab"));
    Files.write(dir.resolve("slices/ab/partial.slice.tmp"), new byte[100]);
    Files.write(dir.resolve("slices/ab/" + "ab".repeat(32) + "-1-0.slice"), new byte[100]); // no metadata

    Gateway second = start();
    try {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> metric(second, "gateway.disk.removed.files") == 2);
      assertThat(sliceFiles()).isEmpty();
    } finally {
      second.close();
    }
  }

  @Test
  void start_markerOfAnotherFormat_refusedWithOneLineNamingTheKey() throws Exception {
    Files.writeString(dir.resolve("FORMAT"), "some other cache, format 9\n");

    assertThatThrownBy(this::start)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cache.disk.path: ")
        .hasMessageContaining("another format")
        .hasMessageNotContaining("\n");
  }

  @Test
  void start_nonEmptyDirectoryWithoutMarker_refusedWithOneLineNamingTheKey() throws Exception {
    Files.writeString(dir.resolve("somebody-elses-file.txt"), "keep me");

    assertThatThrownBy(this::start)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cache.disk.path: ")
        .hasMessageContaining("not empty")
        .hasMessageNotContaining("\n");
    assertThat(dir.resolve("somebody-elses-file.txt")).hasContent("keep me");
  }

  @Test
  void filling_threeTimesMaxBytes_directoryStaysUnderItsBudget() throws Exception {
    long budget = 8L << 20;
    Gateway gateway = TestGateways.start(origin.baseUri(),
        "cache: { disk: { path: \"" + dir + "\", max-bytes: 8MiB } }\n", Clock.systemUTC());
    try {
      for (int i = 0; i < 12; i++) {
        String path = "/blobs/2MiB/budget-" + i; // 24 MiB in all
        assertThat(get(gateway, path).sha256()).isEqualTo(ExpectedContent.sha256(path, 2 << 20));
      }
      // Write-behind then eviction: wait until the writes are done and the index settled.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> directoryBytes() <= budget && diskBytes(gateway) > 0);
      assertThat(directoryBytes()).isLessThanOrEqualTo(budget);
      assertThat(gateway.metrics().registry().get("gateway.cache.evictions").tag("tier", "disk").counter().count())
          .isPositive();
    } finally {
      gateway.close();
    }
    assertThat(directoryBytes()).isLessThanOrEqualTo(budget);
  }

  /** The bytes of every file of the tier, in 4 KiB blocks as the tier weighs them. */
  private long directoryBytes() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return (Files.size(p) + 4095) / 4096 * 4096;
        } catch (IOException e) {
          return 0; // removed meanwhile
        }
      }).sum();
    }
  }

  /**
   * A full disk keeps the gateway serving from memory and the origin; it stops writing (counted,
   * shown in {@code gateway_disk_writes_failing}) and resumes once space returns. On a real file
   * system when {@code .ci/run} mounted a small tmpfs ({@code GATEWAY_TEST_FULL_DISK}, as root);
   * elsewhere simulated by replacing the slices directory with a file. CI as root without the
   * mount fails: the real case must run there.
   */
  @Test
  void fullDisk_keepsServing_stopsWriting_thenResumesWhenSpaceReturns() throws Exception {
    String tmpfs = System.getenv("GATEWAY_TEST_FULL_DISK");
    if (tmpfs == null && System.getenv("GATEWAY_CI") != null && "root".equals(System.getProperty("user.name"))) {
      throw new AssertionError(".ci/run runs as root but GATEWAY_TEST_FULL_DISK (a tmpfs) is not set");
    }
    Path cacheDir = tmpfs != null ? Path.of(tmpfs).resolve("cache-" + System.nanoTime()) : dir;
    Path ballast = tmpfs != null ? Path.of(tmpfs).resolve("ballast-" + System.nanoTime()) : null;
    System.out.println(tmpfs != null ? "full disk: a real tmpfs at " + tmpfs
        : "full disk: simulated (no tmpfs mounted; the slices directory is replaced by a file)");
    Gateway gateway = TestGateways.start(origin.baseUri(),
        "cache: { disk: { path: \"" + cacheDir + "\", max-bytes: 1GiB } }\n", Clock.systemUTC());
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> gauge(gateway, "gateway.disk.index.loaded") == 1);
      if (ballast != null) {
        fill(ballast); // the file system is full now
      } else {
        org.apache.commons.io.FileUtils.deleteDirectory(cacheDir.resolve("slices").toFile());
        Files.writeString(cacheDir.resolve("slices"), "not a directory");
      }
      for (int i = 0; i < 4; i++) {
        String path = "/blobs/1MiB/full-disk-" + i;
        Response r = get(gateway, path);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.sha256()).isEqualTo(ExpectedContent.sha256(path, 1 << 20));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> gauge(gateway, "gateway.disk.writes.failing") == 1);
      assertThat(metric(gateway, "gateway.disk.write.errors")).isPositive();
      assertThat(get(gateway, "/blobs/1MiB/full-disk-0").header("Cache-Status")).startsWith("edge; hit");

      if (ballast != null) {
        Files.delete(ballast); // space returns
      } else {
        Files.delete(cacheDir.resolve("slices"));
        Files.createDirectories(cacheDir.resolve("slices"));
      }
      int[] next = {0};
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
        get(gateway, "/blobs/64KiB/space-returned-" + next[0]++); // each miss tries to write
        return gauge(gateway, "gateway.disk.writes.failing") == 0;
      });
    } finally {
      gateway.close();
      if (tmpfs != null) {
        org.apache.commons.io.FileUtils.deleteQuietly(cacheDir.toFile());
        org.apache.commons.io.FileUtils.deleteQuietly(ballast.toFile());
      }
    }
  }

  /** Writes zeros to {@code file} until its file system is full. */
  private static void fill(Path file) {
    byte[] chunk = new byte[64 * 1024];
    try (java.io.OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 1 << 20; i++) {
        out.write(chunk);
      }
      throw new AssertionError("the file system did not fill up");
    } catch (IOException full) {
      // no space left: as wanted
    }
  }

  private static double gauge(Gateway gateway, String name) {
    return gateway.metrics().registry().get(name).gauge().value();
  }

  /**
   * With a memory tier too small for the object, slices verified once since start-up are sent
   * from their files with zero-copy ({@code FileRegion}): the bytes are the origin's, and the
   * origin is not asked again.
   */
  @Test
  void diskHits_memoryTooSmall_sentFromTheFilesWithZeroCopy_bytesRight() throws Exception {
    String path = "/blobs/4MiB/larger-than-memory";
    String expected = ExpectedContent.sha256(path, 4 << 20);
    String yaml = "cache: { memory: { max-bytes: 2MiB, max-object-bytes: 1MiB }, disk: { path: \"" + dir + "\" } }\n";
    Gateway gateway = TestGateways.start(origin.baseUri(), yaml, Clock.systemUTC());
    try {
      assertThat(get(gateway, path).sha256()).isEqualTo(expected);
      await().atMost(Duration.ofSeconds(10)).until(() -> sliceFiles().size() == 4);
      long originRequests = origin.stats().requests(path);
      double diskBytesServed = served(gateway, "disk");

      for (int round = 0; round < 3; round++) {
        Response again = get(gateway, path);
        assertThat(again.sha256()).isEqualTo(expected);
        assertThat(again.header("Cache-Status")).startsWith("edge; hit");
      }

      assertThat(origin.stats().requests(path)).isEqualTo(originRequests);
      assertThat(served(gateway, "disk") - diskBytesServed).isGreaterThanOrEqualTo(4 << 20);
    } finally {
      gateway.close();
    }
  }

  private static double served(Gateway gateway, String source) {
    return gateway.metrics().registry().get("gateway.served.bytes").tag("source", source).counter().count();
  }
}
