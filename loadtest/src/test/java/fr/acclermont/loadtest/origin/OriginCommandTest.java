package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.TestHttpClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line: one clear line per bad flag, a clear line for a taken port, a graceful run. */
class OriginCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final OriginCommand command = new OriginCommand();

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of("--bandwidth", "fast", "--bandwidth: \"fast\" (expected e.g. 100mbit, 10mbit, 1gbit or unlimited)"),
        Arguments.of("--bandwidth", "0mbit", "--bandwidth: \"0mbit\" (expected a rate from 1kbit to 100gbit, or unlimited)"),
        Arguments.of("--latency", "20", "--latency: \"20\" (expected a duration such as 10s or 500ms: "
            + "a whole number followed by ms, s, m, h or d)"),
        Arguments.of("--stall", "soon", "--stall: \"soon\" (expected a duration such as 10s or 500ms: "
            + "a whole number followed by ms, s, m, h or d)"),
        Arguments.of("--fail-rate", "5%", "--fail-rate: \"5%\" (expected a share of requests from 0 to 1, e.g. 0.05)"),
        Arguments.of("--reset-rate", "1.5", "--reset-rate: \"1.5\" (expected a share of requests from 0 to 1, e.g. 0.05)"),
        Arguments.of("--stall-rate", "-0.1", "--stall-rate: \"-0.1\" (expected a share of requests from 0 to 1, e.g. 0.05)"),
        Arguments.of("--seed", "abc", "--seed: \"abc\" (expected a whole number, e.g. 1)"),
        Arguments.of("--host", " ", "--host: \" \" (expected an address to listen on, e.g. 127.0.0.1 or 0.0.0.0)"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badFlags")
  void flag_badValue_oneLineNamingFlagAndForm(String flag, String value, String message) {
    int code = execute("--port", "0", flag, value);

    assertThat(code).isEqualTo(2);
    assertThat(err).hasToString(message + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("badPorts")
  void port_badValue_oneLineNamingFlagAndForm(String port) {
    int code = execute("--port", port);

    assertThat(code).isEqualTo(2);
    assertThat(err).hasToString("--port: \"" + port + "\" (expected a port number from 0 to 65535; 0 picks a free one)"
        + System.lineSeparator());
  }

  static Stream<String> badPorts() {
    return Stream.of("http", "65536", "-1");
  }

  @Test
  void faultRates_aboveOneInTotal_oneLineNamingTheFlags() {
    int code = execute("--port", "0", "--fail-rate", "0.5", "--reset-rate", "0.4", "--stall-rate", "0.2");

    assertThat(code).isEqualTo(2);
    assertThat(err).hasToString("--fail-rate + --reset-rate + --stall-rate: 1.1 "
        + "(expected at most 1 in total: each is a share of the same requests)" + System.lineSeparator());
  }

  @Test
  void port_missing_usageErrorNamingIt() {
    int code = execute();

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).contains("--port"));
  }

  @Test
  void port_inUse_exitOneWithClearLine() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      int code = execute("--port", String.valueOf(port));

      assertThat(code).isEqualTo(1);
      assertThat(err.toString().lines()).singleElement().satisfies(line -> assertThat(line)
          .startsWith("cannot listen on 127.0.0.1:" + port + ": ")
          .contains("in use"));
    }
  }

  @Test
  void run_validFlags_printsUrlsServesAndStopsGracefully() throws Exception {
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> execute("--port", "0",
        "--bandwidth", "10mbit", "--latency", "5ms", "--seed", "3", "--fail-rate", "0.1", "--stall", "2s"));
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("Stop with"));
    Matcher catalog = Pattern.compile("catalog: +http://127\\.0\\.0\\.1:(\\d+)/_origin/catalog").matcher(out.toString());
    assertThat(catalog.find()).as(out.toString()).isTrue();
    int port = Integer.parseInt(catalog.group(1));
    assertThat(out.toString()).startsWith("Origin simulator on http://127.0.0.1:" + port)
        .contains("10mbit shared by all connections").contains("503 10%");

    try (TestHttpClient client = TestHttpClient.connect(port)) {
      assertThat(client.get("/_origin/catalog").read().status()).isEqualTo(200);
    }
    command.requestStop();

    assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(refused(port)).as("port closed after the stop").isTrue();
  }

  @Test
  void run_portAlone_aSchoolsUplinkOf100mbitAnd20ms() throws Exception {
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> execute("--port", "0"));
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("Stop with"));

    assertThat(out.toString()).contains("uplink:   100mbit shared by all connections, latency 20ms, seed 1");
    command.requestStop();
    assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
  }

  private int execute(String... args) {
    return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  private static boolean refused(int port) throws IOException {
    try (TestHttpClient ignored = TestHttpClient.connect(port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    }
  }
}
