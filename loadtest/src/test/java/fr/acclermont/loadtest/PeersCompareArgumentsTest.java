package fr.acclermont.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code loadtest/bin/peers-compare.sh} refuses a bad value of its measurement options with exit
 * status 2 and one line naming the option, before it builds, installs or starts anything.
 */
class PeersCompareArgumentsTest {

  private static final Path SCRIPT = Path.of("bin", "peers-compare.sh");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--loads|tiny|--loads: unknown load 'tiny' (small, large)",
      "--loads|''|--loads: give small, large or both",
      "--gateway-access-log|/nonexistent/dir/access.log|--gateway-access-log: no directory for /nonexistent/dir/access.log"
  })
  void badValue_exits2_withOneLineNamingTheOption(String option, String value, String message) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), option, value));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits at once").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output.lines().toList()).hasSize(1);
    assertThat(output).startsWith(message);
  }
}
