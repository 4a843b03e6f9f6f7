package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.FreePorts;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default destination, standard output, on a gateway run as a child process (the real file
 * descriptor 1, as a container runtime or systemd reads it): the access log's lines are the only
 * thing on it (the gateway's own log is on stderr), and SIGTERM writes what is queued before exit.
 */
class AccessLogStdoutTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path work;

  @Test
  void stdoutByDefault_linesOnlyThere_writtenBeforeExitOnSigterm() throws Exception {
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build())) {
      int port = FreePorts.loopback();
      Path config = work.resolve("gateway.yaml");
      // The test template turns the access log off: remove that line to get the default.
      String yaml = TestGateways.yaml(origin.baseUri(), "server: { port: " + port + " }\n")
          .replaceAll("(?m)^access-log:.*\\n(  .*\\n)*", "");
      assertThat(yaml).doesNotContain("access-log");
      Files.writeString(config, yaml);
      Path stdout = work.resolve("stdout");
      Path stderr = work.resolve("stderr");
      // The production logging set-up (stderr), not the tests' logback-test.xml (stdout).
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
          "fr.acclermont.gateway.Main", "run", "--config", config.toString())
          .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      Response hit;
      try {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
          new Socket("127.0.0.1", port).close();
          return true;
        });
        try (TestHttpClient client = TestHttpClient.connect(port)) {
          client.get("/blobs/100/stdout?apikey=k-5e1f").read();
          hit = client.get("/blobs/100/stdout?apikey=k-5e1f").read();
        }
      } finally {
        child.destroy(); // SIGTERM: graceful, the queued lines are written
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }

      List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
      assertThat(lines).as("stdout holds the access log only").hasSize(2);
      JsonNode last = JSON.readTree(lines.get(1));
      assertThat(last.get("path").asText()).isEqualTo("/blobs/100/stdout?apikey=***");
      assertThat(last.get("status").asInt()).isEqualTo(200);
      assertThat(last.get("bytes").asLong()).isEqualTo(100);
      assertThat(last.get("cache").asText()).isEqualTo(hit.header("Cache-Status")).startsWith("edge; hit");
      assertThat(Files.readString(stdout)).doesNotContain("k-5e1f");
      assertThat(Files.readString(stderr)).contains("gateway stopped").doesNotContain("\"path\"");
    }
  }
}
