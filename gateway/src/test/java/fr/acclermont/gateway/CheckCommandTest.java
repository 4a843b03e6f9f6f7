package fr.acclermont.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.DiskTier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code check --config FILE} (issue 19 point 1): every error of a bad file at once, each on its
 * own line with its key and line number; exit 0 or 2; a disk directory that a running gateway
 * holds is not an error. Runs in-process through picocli, as {@code --help} in CommandLineTest.
 */
class CheckCommandTest {

  @TempDir
  Path work;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int check(String yaml) throws Exception {
    Path config = work.resolve("gateway.yaml");
    Files.writeString(config, yaml);
    return new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("check", "--config", config.toString());
  }

  private List<String> errorLines() {
    return err.toString().lines().filter(line -> line.startsWith("configuration error: ")).toList();
  }

  @Test
  void goodFile_exit0_okLineAndSummary() throws Exception {
    int code = check("""
        server: { port: 8080 }
        origins:
          - name: cloud
            url: http://127.0.0.1:8000
        cache:
          disk: { path: %s }
        """.formatted(work.resolve("cache")));

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("configuration OK: " + work.resolve("gateway.yaml") + "\n")
        .contains("1 origin (cloud); listeners: http 0.0.0.0:8080");
    assertThat(err.toString()).isEmpty();
    assertThat(work.resolve("cache")).doesNotExist(); // check creates nothing
  }

  @Test
  void errorsInThreeSections_exit2_oneLineEachWithKeyAndLine() throws Exception {
    int code = check("""
        server:
          port: 99999
        origins:
          - name: cloud
            url: ftp://x
          - name: books
            url: http://127.0.0.1:8001
        cache:
          memory:
            max-bytes: lots
        """);

    assertThat(code).isEqualTo(2);
    String file = work.resolve("gateway.yaml").toString();
    assertThat(errorLines()).hasSize(3);
    assertThat(errorLines().get(0)).startsWith("configuration error: " + file + ":2: server.port: 99999");
    assertThat(errorLines().get(1)).startsWith("configuration error: " + file + ":5: origins[0].url: ");
    assertThat(errorLines().get(2))
        .startsWith("configuration error: " + file + ":10: cache.memory.max-bytes: \"lots\" (expected a size");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void everyOriginIsChecked() throws Exception {
    int code = check("""
        origins:
          - name: cloud
            url: ftp://x
          - name: books
            url: gopher://y
        """);

    assertThat(code).isEqualTo(2);
    assertThat(errorLines()).hasSize(2);
    assertThat(errorLines().get(0)).contains(":3: origins[0].url: ");
    assertThat(errorLines().get(1)).contains(":5: origins[1].url: ");
  }

  /** Every wrong key of a section, not only its first: unknown keys and bad values alike. */
  @Test
  void severalErrorsInOneSection_eachReported() throws Exception {
    int code = check("""
        origins:
          - name: cloud
            url: http://127.0.0.1:8000
            connect-timeout: soon
            max-fetches: 0
        limits:
          max-headers: lots
          max-header: 10
          max-body-bytes: 1XB
        """);

    assertThat(code).isEqualTo(2);
    assertThat(errorLines()).hasSize(5);
    assertThat(errorLines()).anyMatch(l -> l.contains(":4: origins[0].connect-timeout: \"soon\""))
        .anyMatch(l -> l.contains(":5: origins[0].max-fetches: 0"))
        .anyMatch(l -> l.contains(":7: limits.max-headers: \"lots\""))
        .anyMatch(l -> l.contains(":8: limits.max-header: unknown key"))
        .anyMatch(l -> l.contains(":9: limits.max-body-bytes: \"1XB\""));
  }

  @Test
  void unknownKeys_eachWithItsLine() throws Exception {
    int code = check("""
        origins:
          - name: cloud
            url: http://127.0.0.1:8000
        cahce: {}
        limits:
          max-header: 10
        """);

    assertThat(code).isEqualTo(2);
    assertThat(errorLines()).hasSize(2);
    assertThat(errorLines().get(0)).contains(":4: cahce: unknown key (expected one of: ");
    assertThat(errorLines().get(1)).contains(":6: limits.max-header: unknown key (expected one of: ");
  }

  @Test
  void diskPathIsARegularFile_error() throws Exception {
    Path file = Files.writeString(work.resolve("not-a-dir"), "x");
    int code = check("""
        origins:
          - name: cloud
            url: http://127.0.0.1:8000
        cache:
          disk:
            path: %s
        """.formatted(file));

    assertThat(code).isEqualTo(2);
    assertThat(errorLines()).containsExactly("configuration error: " + work.resolve("gateway.yaml")
        + ":6: cache.disk.path: " + file + " is not a directory");
  }

  @Test
  void diskDirectoryOfARunningGateway_stillOk() throws Exception {
    Path dir = work.resolve("cache");
    try (DiskTier running = DiskTier.open(dir, 1L << 30, () -> { })) {
      int code = check("""
          origins:
            - name: cloud
              url: http://127.0.0.1:8000
          cache:
            disk: { path: %s }
          """.formatted(dir));

      assertThat(code).isZero();
      assertThat(out.toString()).startsWith("configuration OK: ");
      assertThat(errorLines()).isEmpty();
      assertThat(err.toString()).contains("note: cache.disk.path: " + dir + " has a lock file naming PID "
          + ProcessHandle.current().pid());
    }
  }

  @Test
  void missingFile_exit2_oneLine() {
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("check", "--config", work.resolve("nope.yaml").toString());

    assertThat(code).isEqualTo(2);
    assertThat(errorLines()).containsExactly("configuration error: cannot read configuration file "
        + work.resolve("nope.yaml") + ": no such file");
  }
}
