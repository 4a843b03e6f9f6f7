package fr.acclermont.gateway.testing;

import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Main;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A gateway run as a child process ({@code run --config FILE}, this JVM's class path), for what
 * needs a process of its own: real signals (SIGUSR1, SIGHUP), the JVM's exit.
 */
public final class ChildGateway {

  private ChildGateway() {}

  /**
   * Starts {@code run --config config}, its stdout and stderr into {@code output}, and returns once
   * {@code port} (the configuration's {@code server.port}) accepts connections.
   */
  public static Process start(Path config, int port, Path output) throws IOException {
    Process child = launch(config, Map.of(), output);
    awaitListening(child, port);
    return child;
  }

  /**
   * Starts {@code run --config config} with {@code env} added to this JVM's environment (for a file
   * with {@code ${VAR}} placeholders), its stdout and stderr into {@code output}, and returns at
   * once: several children then start side by side, each awaited with {@link #awaitListening}.
   */
  public static Process launch(Path config, Map<String, String> env, Path output) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /**
   * Returns once {@code port} accepts connections; destroys {@code child} and throws if it does not
   * within 60 s (its output says why).
   */
  public static void awaitListening(Process child, int port) {
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
        new Socket("127.0.0.1", port).close();
        return true;
      });
    } catch (RuntimeException e) {
      child.destroyForcibly(); // it never listened: its output says why
      throw e;
    }
  }

  /** Sends {@code SIG<signal>} to {@code child}. */
  public static void signal(Process child, String signal) throws IOException, InterruptedException {
    int code = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();
    if (code != 0) {
      throw new IOException("kill -" + signal + " " + child.pid() + " exited with " + code);
    }
  }
}
