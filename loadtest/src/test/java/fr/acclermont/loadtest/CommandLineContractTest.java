package fr.acclermont.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command-line contract of issue 3 (and DESIGN.md), which scripts outside the code rely on:
 * each command and flag exists under exactly that name, with the default the issue gives
 * ({@code [--students 35]}) or none where it gives a placeholder ({@code [--book ID]}).
 */
class CommandLineContractTest {

  /** No default: the flag is required or optional without a value of its own. */
  private static final String NONE = null;

  static Stream<Arguments> flags() {
    return Stream.of(
        // origin --port P [--bandwidth 100mbit] [--latency 20ms] [--seed 1], faults as shares
        Arguments.of("origin", "--port", NONE, true),
        Arguments.of("origin", "--bandwidth", "100mbit", false),
        Arguments.of("origin", "--latency", "20ms", false),
        Arguments.of("origin", "--seed", "1", false),
        Arguments.of("origin", "--fail-rate", "0", false),
        Arguments.of("origin", "--reset-rate", "0", false),
        Arguments.of("origin", "--stall-rate", "0", false),
        Arguments.of("origin", "--stall", "5s", false),
        // issue 13: the CDN profile (HTTPS, compression) and where its CA goes
        Arguments.of("origin", "--profile", "plain", false),
        Arguments.of("origin", "--ca-out", NONE, false),
        // classroom --target URL [--origin URL] [--students 35] [--book ID] [--spread 1s]
        //   [--rounds 1] [--seed 1] [--report DIR]; the number of PDF pages is configurable
        Arguments.of("classroom", "--target", NONE, true),
        Arguments.of("classroom", "--origin", NONE, false),
        Arguments.of("classroom", "--students", "35", false),
        Arguments.of("classroom", "--book", NONE, false),
        Arguments.of("classroom", "--spread", "1s", false),
        Arguments.of("classroom", "--rounds", "1", false),
        Arguments.of("classroom", "--seed", "1", false),
        Arguments.of("classroom", "--report", NONE, false),
        Arguments.of("classroom", "--pdf-pages", "20", false),
        Arguments.of("classroom", "--origin-ca", NONE, false),
        // issue 17: each student's own signed links (a gateway's signed-url entitlement rule)
        Arguments.of("classroom", "--sign-key-file", NONE, false),
        Arguments.of("classroom", "--sign-key-id", "k1", false),
        Arguments.of("classroom", "--sign-prefix", "/books/", false),
        Arguments.of("classroom", "--sign-ttl", "1h", false),
        Arguments.of("classroom", "--unsigned-students", "0", false),
        Arguments.of("cold-object", "--origin-ca", NONE, false),
        Arguments.of("random-ranges", "--origin-ca", NONE, false),
        // school-day --target URL [--classes 6] [--duration 60s] [--report DIR]
        Arguments.of("school-day", "--target", NONE, true),
        Arguments.of("school-day", "--origin", NONE, false),
        Arguments.of("school-day", "--classes", "6", false),
        Arguments.of("school-day", "--duration", "60s", false),
        Arguments.of("school-day", "--report", NONE, false),
        Arguments.of("school-day", "--origin-ca", NONE, false));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("flags")
  void flag_existsWithTheContractsNameAndDefault(String command, String flag, String defaultValue,
      boolean required) {
    CommandLine subcommand = new CommandLine(new Main()).getSubcommands().get(command);
    assertThat(subcommand).as("command %s", command).isNotNull();

    OptionSpec option = subcommand.getCommandSpec().findOption(flag);

    assertThat(option).as("%s %s", command, flag).isNotNull();
    assertThat(option.longestName()).isEqualTo(flag);
    assertThat(option.defaultValue()).as("%s %s default", command, flag).isEqualTo(defaultValue);
    assertThat(option.required()).as("%s %s required", command, flag).isEqualTo(required);
  }
}
