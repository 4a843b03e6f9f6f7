package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.FreePorts;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway killed with SIGKILL in the middle of its work (an origin stalled mid-slice, writes
 * behind) leaves nothing that would be served wrong: after a restart on the same directory, every
 * object served matches the origin's bytes, and the files a crash can leave half-written are
 * removed and counted. The gateway runs as a child process, started from this test's class path.
 */
class DiskTierCrashTest {

  private static final List<String> COMPLETE = List.of("/blobs/2MiB/before-crash-a", "/blobs/3MiB/before-crash-b");
  private static final String STALLED = "/blobs/5MiB/during-crash?stall-after=2500000&stall-for=1500";

  private static DemoOrigin origin;
  private static final ExecutorService readers = Executors.newSingleThreadExecutor();

  @TempDir
  Path work;

  @BeforeAll
  static void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterAll
  static void stop() {
    readers.shutdownNow();
    origin.close();
  }

  @Test
  void sigkill_midSliceAndMidWrites_restartServesOnlyTheOriginsBytes() throws Exception {
    Path disk = work.resolve("disk");
    int port = FreePorts.loopback();
    Path config = work.resolve("gateway.yaml");
    Files.writeString(config, TestGateways.yaml(origin.baseUri(),
        "server: { port: " + port + " }\ncache: { disk: { path: \"" + disk + "\" } }\n"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "fr.acclermont.gateway.Main", "run", "--config",
        config.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
        new Socket("127.0.0.1", port).close();
        return true;
      });
      for (String path : COMPLETE) {
        assertThat(get(port, path).sha256()).isEqualTo(expected(path));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sliceFiles(disk).size() == 5);
      // A client reads the object whose origin stalls mid-slice; more slices are written behind.
      readers.submit(() -> get(port, STALLED));
      await().atMost(Duration.ofSeconds(10)).until(() -> origin.stats().bytes("/blobs/5MiB/during-crash") >= 2_500_000);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    long halfWritten = countFiles(disk, ".tmp");

    Gateway restarted = TestGateways.start(origin.baseUri(), "cache: { disk: { path: \"" + disk + "\" } }\n",
        Clock.systemUTC());
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> restarted.metrics().registry()
          .get("gateway.disk.index.loaded").gauge().value() == 1);
      for (String path : COMPLETE) {
        Response r = get(restarted.port(), path);
        assertThat(r.sha256()).as(path).isEqualTo(expected(path));
        assertThat(r.header("Cache-Status")).as(path).startsWith("edge; hit");
      }
      assertThat(get(restarted.port(), STALLED).sha256()).isEqualTo(expected("/blobs/5MiB/during-crash"));
      assertThat(restarted.metrics().registry().get("gateway.disk.removed.files").functionCounter().count())
          .as("half-written files removed at start-up").isEqualTo(halfWritten);
      // The stalled object, fetched again just above, may still be being written (its own .tmp):
      // the half-written files of the crash were removed at start-up, and the new ones are renamed.
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> countFiles(disk, ".tmp") == 0);
    } finally {
      restarted.close();
    }
  }

  private static String expected(String path) {
    long size = Long.parseLong(path.split("/")[2].replace("MiB", "")) << 20;
    return ExpectedContent.sha256(path, size);
  }

  private static Response get(int port, String target) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(port)) {
      return client.get(target).readDigestOnly();
    }
  }


  private static List<Path> sliceFiles(Path disk) throws IOException {
    try (Stream<Path> walk = Files.walk(disk.resolve("slices"))) {
      return walk.filter(p -> p.toString().endsWith(".slice")).toList();
    }
  }

  private static long countFiles(Path disk, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(disk)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).count();
    }
  }
}
