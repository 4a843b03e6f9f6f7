package fr.acclermont.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ChildGateway;
import fr.acclermont.gateway.testing.FreePorts;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Log rotation without {@code copytruncate} (issue #19, point 4): logrotate renames the access log
 * and sends SIGUSR1 ({@code packaging/logrotate}); the gateway then writes to a new file at the
 * path. Tested on a gateway run as a child process ({@code run}, the real signal), and the handler
 * in this JVM.
 */
class LogRotationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path work;

  @Test
  void handle_usr1_runsTheAction() throws Exception {
    CountDownLatch handled = new CountDownLatch(1);
    assertThat(Signals.handle(Signals.REOPEN_LOGS, handled::countDown)).isTrue();
    try {
      Signal.raise(new Signal(Signals.REOPEN_LOGS));

      assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      Signal.handle(new Signal(Signals.REOPEN_LOGS), SignalHandler.SIG_DFL);
    }
  }

  /**
   * Lines before the rename and SIGUSR1 are in the renamed file, those after in a new file at the
   * path, none lost; the gateway goes on serving (SIGUSR1's default action would end it).
   */
  @Test
  void run_sigusr1AfterRename_linesBeforeInRenamedFile_linesAfterInNewFile() throws Exception {
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build())) {
      int port = FreePorts.loopback();
      Path accessLog = work.resolve("access.log");
      Path rotated = work.resolve("access.log.1");
      Path config = Files.writeString(work.resolve("gateway.yaml"), TestGateways.yaml(origin.baseUri(),
          "server: { port: " + port + " }\naccess-log: { path: \"" + accessLog + "\" }\n"));
      Path output = work.resolve("child.log");
      Process child = ChildGateway.start(config, port, output);
      try {
        get(port, "before", 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(accessLog).size() == 20);
        Files.move(accessLog, rotated);

        ChildGateway.signal(child, "USR1");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(accessLog));
        get(port, "after", 30);
      } finally {
        child.destroy(); // SIGTERM: graceful, what is queued is written
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }

      assertThat(paths(rotated)).hasSize(20).allMatch(p -> p.startsWith("/blobs/100/before-"));
      assertThat(paths(accessLog)).hasSize(30).allMatch(p -> p.startsWith("/blobs/100/after-"));
      assertThat(Files.readString(output)).contains("access log: reopened " + accessLog);
    }
  }

  /** {@code count} requests on one connection, each for its own object named {@code name-i}. */
  private static void get(int port, String name, int count) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(port)) {
      for (int i = 0; i < count; i++) {
        assertThat(client.get("/blobs/100/" + name + "-" + i).read().status()).isEqualTo(200);
      }
    }
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  private static List<String> paths(Path file) throws IOException {
    List<String> paths = new ArrayList<>();
    for (String line : lines(file)) {
      paths.add(JSON.readTree(line).get("path").asText());
    }
    return paths;
  }
}
