package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.testing.TestGateways;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One gateway per cache directory (issue #19, point 3): the disk tier locks
 * {@code <cache.disk.path>/gateway.lock} and writes its PID in it; a second one on the directory,
 * in this JVM or in another process, is refused with one line naming the directory and the
 * holder's PID; once the holder closes (or its process ends), the directory can be used again.
 */
class DiskTierLockTest {

  private static final long MAX_BYTES = 64L << 20;
  /** No origin is needed: nothing is requested, and an unreachable origin does not stop start-up. */
  private static final URI NO_ORIGIN = URI.create("http://127.0.0.1:9");

  @TempDir
  Path work;

  private static String refusal(Path dir, long pid) {
    return "cache.disk.path: " + dir + " is in use by another gateway (PID " + pid
        + "); stop it or choose another directory";
  }

  @Test
  void open_lockFile_holdsThisProcessPid() throws Exception {
    Path dir = work.resolve("disk");
    try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, () -> { })) {
      assertThat(Files.readString(dir.resolve(DirectoryLock.FILE), StandardCharsets.US_ASCII))
          .isEqualTo(ProcessHandle.current().pid() + "\n");
      await().atMost(Duration.ofSeconds(10)).until(tier::loaded);
    }
  }

  @Test
  void open_twiceInOneJvm_refusedNamingDirectoryAndPid_thenOpensAfterClose() {
    Path dir = work.resolve("disk");
    DiskTier first = DiskTier.open(dir, MAX_BYTES, () -> { });
    try {
      assertThatThrownBy(() -> DiskTier.open(dir, MAX_BYTES, () -> { }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(refusal(dir, ProcessHandle.current().pid()));
      // The same directory under another name is the same directory.
      Path alias = work.resolve(".").resolve("disk");
      assertThatThrownBy(() -> DiskTier.open(alias, MAX_BYTES, () -> { }))
          .hasMessageContaining("is in use by another gateway");
    } finally {
      first.close();
    }

    DiskTier second = DiskTier.open(dir, MAX_BYTES, () -> { });
    second.close();
  }

  @Test
  void gatewayStart_directoryHeld_configErrorNamingDirectoryAndPid_thenStartsAfterClose() {
    Path dir = work.resolve("disk");
    String yaml = "cache: { disk: { path: \"" + dir + "\" } }\n";
    Gateway first = TestGateways.start(NO_ORIGIN, yaml, Clock.systemUTC());
    try {
      assertThatThrownBy(() -> TestGateways.start(NO_ORIGIN, yaml, Clock.systemUTC()))
          .isInstanceOf(ConfigException.class)
          .hasMessage(refusal(dir, ProcessHandle.current().pid()));
    } finally {
      first.close();
    }

    TestGateways.start(NO_ORIGIN, yaml, Clock.systemUTC()).close();
  }

  /**
   * Across processes: a gateway run as a child holds the directory; this JVM's tier and a second
   * child's {@code run} are refused (the second exits 2 with the one line), naming the first
   * child's PID; after it stops (SIGTERM), the directory opens here.
   */
  @Test
  void run_directoryHeldByAnotherProcess_refusedExit2OneLineNamingPid() throws Exception {
    Path dir = work.resolve("disk");
    Path config = Files.writeString(work.resolve("gateway.yaml"), TestGateways.yaml(NO_ORIGIN,
        "cache: { disk: { path: \"" + dir + "\" } }\n"));
    Process holder = run(config, work.resolve("holder.log"), work.resolve("holder.log"));
    try {
      Path lockFile = dir.resolve(DirectoryLock.FILE);
      await().atMost(Duration.ofSeconds(60)).until(() -> !holder.isAlive()
          || Files.exists(lockFile) && Files.readString(lockFile).equals(holder.pid() + "\n"));
      assertThat(holder.isAlive()).as(Files.readString(work.resolve("holder.log"))).isTrue();

      assertThatThrownBy(() -> DiskTier.open(dir, MAX_BYTES, () -> { }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(refusal(dir, holder.pid()));

      Path err = work.resolve("second.err");
      Process second = run(config, work.resolve("second.out"), err);
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(2);
      assertThat(Files.readAllLines(err)).containsExactly("configuration error: " + refusal(dir, holder.pid()));
      assertThat(holder.isAlive()).as("the refused one does not disturb the holder").isTrue();
    } finally {
      holder.destroy(); // SIGTERM: graceful, the tier closes
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    DiskTier after = DiskTier.open(dir, MAX_BYTES, () -> { });
    after.close();
  }

  private static Process run(Path config, Path out, Path err) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "fr.acclermont.gateway.Main", "run", "--config",
        config.toString());
    if (out.equals(err)) {
      return builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }
    return builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }
}
