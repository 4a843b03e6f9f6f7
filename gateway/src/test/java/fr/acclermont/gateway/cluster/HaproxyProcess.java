package fr.acclermont.gateway.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import fr.acclermont.gateway.testing.TestHttpClient;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real HAProxy run in the foreground ({@code haproxy -f FILE -db}) as a child process, with the
 * environment variables its configuration expands, its output into a file. CI ({@code .ci/run})
 * installs Debian's {@code haproxy} and sets {@code GATEWAY_CI=1}: a missing binary is then a test
 * failure; elsewhere the test is skipped, with a loud line on stderr.
 */
final class HaproxyProcess implements AutoCloseable {

  private static final String CI_ENV = "GATEWAY_CI";

  private final Process process;
  private final int statsPort;

  private HaproxyProcess(Process process, int statsPort) {
    this.process = process;
    this.statsPort = statsPort;
  }

  /**
   * The {@code haproxy} binary: on {@code PATH}, else in {@code /usr/sbin} (where Debian puts it,
   * often not on a user's PATH) or {@code /usr/bin}. Missing: fails the test under
   * {@code GATEWAY_CI=1}, else aborts it (skipped) after a line on stderr.
   */
  static Path require() {
    Optional<Path> found = find();
    if (found.isPresent()) {
      return found.get();
    }
    String missing = "haproxy not found on PATH nor in /usr/sbin, /usr/bin: the académie cluster test needs it"
        + " (Debian/Ubuntu: apt-get install --no-install-recommends haproxy)";
    if ("1".equals(System.getenv(CI_ENV))) {
      fail(missing + "; " + CI_ENV + "=1 makes this a failure");
    }
    System.err.println("*** SKIPPED: " + missing + ". Set " + CI_ENV + "=1 to make this a failure. ***");
    return Assumptions.abort(missing);
  }

  private static Optional<Path> find() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "haproxy"));
        }
      }
    }
    candidates.add(Path.of("/usr/sbin/haproxy"));
    candidates.add(Path.of("/usr/bin/haproxy"));
    return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }

  /**
   * Runs {@code binary -f config -db} with {@code env} added to this JVM's environment, and returns
   * once {@code listenPort} and {@code statsPort} (the ports {@code env} gives the configuration)
   * accept connections. Fails at once if HAProxy exits (a configuration error: see {@code output}).
   */
  static HaproxyProcess start(Path binary, Path config, Map<String, String> env, int listenPort, int statsPort,
      Path output) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-f", config.toString(), "-db")
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    HaproxyProcess haproxy = new HaproxyProcess(process, statsPort);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("haproxy exited with " + process.exitValue() + ": "
              + Files.readString(output));
        }
        return accepts(listenPort) && accepts(statsPort);
      });
    } catch (RuntimeException e) {
      haproxy.close();
      throw e;
    }
    return haproxy;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The status HAProxy gives each server of {@code backend} on its stats page ({@code /stats;csv}):
   * UP, DOWN, or a transition such as "UP 1/2" (one check failed of the two that take it down).
   */
  Map<String, String> serverStatus(String backend) throws IOException {
    String csv;
    try (TestHttpClient client = TestHttpClient.connect(statsPort)) {
      csv = client.get("/stats;csv").read().text();
    }
    String[] lines = csv.split("\n");
    List<String> columns = List.of(lines[0].replaceFirst("^# ", "").split(",", -1));
    int status = columns.indexOf("status");
    Map<String, String> statuses = new HashMap<>();
    for (String line : lines) {
      String[] fields = line.split(",", -1);
      if (fields.length > status && fields[0].equals(backend) && !fields[1].equals("BACKEND")) {
        statuses.put(fields[1], fields[status]);
      }
    }
    return statuses;
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: HAProxy stops at once (hard stop)
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
