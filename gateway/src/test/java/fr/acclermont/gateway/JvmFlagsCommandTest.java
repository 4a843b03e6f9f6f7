package fr.acclermont.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code jvm-flags --config FILE} (issue 19 point 5): the JVM memory flags the Debian package's
 * launcher derives from {@code cache.memory.max-bytes}. The direct memory they give always passes
 * start-up's own check; the heap is a quarter of the memory tier within 256 MiB..4 GiB.
 */
class JvmFlagsCommandTest {

  private static final long MIB = 1024L * 1024;
  private static final Pattern DIRECT = Pattern.compile("-XX:MaxDirectMemorySize=(\\d+)m$");

  @TempDir
  Path work;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int jvmFlags(String yaml) throws Exception {
    Path config = work.resolve("gateway.yaml");
    Files.writeString(config, yaml);
    return new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("jvm-flags", "--config", config.toString());
  }

  @Test
  void defaults_512MiB_smallestHeapAndDirectAboveFourThirds() {
    // 512 MiB / 0.75 = 682.7 MiB, rounded up to 683, plus 64 MiB; 512 MiB / 4 = 128 MiB, below the 256 MiB floor.
    assertThat(JvmFlagsCommand.flags(512 * MIB)).isEqualTo("-Xms256m -Xmx256m -XX:MaxDirectMemorySize=747m");
  }

  @Test
  void large_heapIsAQuarterThenCapped() {
    assertThat(JvmFlagsCommand.flags(2048 * MIB)).isEqualTo("-Xms512m -Xmx512m -XX:MaxDirectMemorySize=2795m");
    assertThat(JvmFlagsCommand.flags(8192 * MIB)).isEqualTo("-Xms2048m -Xmx2048m -XX:MaxDirectMemorySize=10987m");
    assertThat(JvmFlagsCommand.flags(32768 * MIB)).startsWith("-Xms4096m -Xmx4096m ");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 3, 1024, 768 * 1024 * 1024L - 1, 768 * 1024 * 1024L, 768 * 1024 * 1024L + 1,
      1024 * 1024 * 1024L + 7, 3L * 1024 * 1024 * 1024 + 12_345, 100L * 1024 * 1024 * 1024 + 1})
  void directMemory_alwaysPassesStartUpsCheck(long memoryBytes) {
    Matcher direct = DIRECT.matcher(JvmFlagsCommand.flags(memoryBytes));
    assertThat(direct.find()).isTrue();
    long directBytes = Long.parseLong(direct.group(1)) * MIB;

    assertThatCode(() -> Gateway.checkDirectMemory(memoryBytes, directBytes)).doesNotThrowAnyException();
    // and by no more than the headroom and a MiB of rounding
    assertThat(directBytes).isLessThanOrEqualTo((long) Math.ceil(memoryBytes / 0.75) + 65 * MIB);
  }

  @Test
  void notPositive_refused() {
    assertThatThrownBy(() -> JvmFlagsCommand.flags(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void command_readsTheFile_oneLineOnStdout() throws Exception {
    int code = jvmFlags("""
        origins:
          - name: cloud
            url: http://127.0.0.1:8000
        cache:
          memory: { max-bytes: 2GiB }
        """);

    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo("-Xms512m -Xmx512m -XX:MaxDirectMemorySize=2795m" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void command_badFile_exit2_configurationErrorLine_nothingOnStdout() throws Exception {
    int code = jvmFlags("""
        origins:
          - name: cloud
            url: http://127.0.0.1:8000
        cache:
          memory: { max-bytes: lots }
        """);

    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("configuration error: cache.memory.max-bytes: \"lots\"");
  }
}
