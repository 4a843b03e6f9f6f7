package fr.acclermont.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line of {@code gateway.jar} as the README uses it: {@code --help} lists the
 * commands, {@code run} refuses a bad configuration with one line, and {@code demo} is issue 2's
 * "done when" check. The commands that start a JVM of their own run as child processes started
 * from this test's class path (the jar is built after the tests), so their exit codes and their
 * SIGTERM handling are the real ones.
 */
class CommandLineTest {

  @TempDir
  Path work;

  @Test
  void help_listsRunCheckJvmFlagsAndDemo() {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("--help");

    assertThat(code).isZero();
    assertThat(out.toString()).containsPattern("(?m)^  run +\\S").containsPattern("(?m)^  check +\\S")
        .containsPattern("(?m)^  jvm-flags +\\S").containsPattern("(?m)^  demo +\\S");
  }

  @Test
  void run_badConfigValue_oneLineNamingTheKeyAndExit2() throws Exception {
    Path config = work.resolve("gateway.yaml");
    Files.writeString(config, """
        origins:
          - name: cloud
            url: http://127.0.0.1:8000
        cache:
          memory: { max-bytes: "lots" }
        """);
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    Process child = gatewayProcess("run", "--config", config.toString())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();

    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(2);
    assertThat(Files.readAllLines(err)).containsExactly(
        "configuration error: cache.memory.max-bytes: \"lots\" (expected a size such as 512MiB)");
    assertThat(Files.readString(out)).isEmpty();
  }

  /**
   * {@code demo} prints a book's page first among the URLs to open; an asset fetched twice is a
   * stored miss then a hit; {@code /metrics} shows the four series of issue 2 with non-zero values;
   * the command that prefetches the book is printed, and nothing is prefetched before it is used;
   * SIGTERM stops it and removes its temporary disk cache.
   */
  @Test
  void demo_bookPageFirst_assetMissThenHit_metricsNonZero_sigtermStopsIt() throws Exception {
    Path log = work.resolve("demo.log");
    Process child = gatewayProcess("demo", "--port", "0", "--admin-port", "0", "--tls-port", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !child.isAlive() || read(log).contains("Stop with Ctrl-C."));
      String printed = read(log);
      URI book = URI.create(firstMatch(printed, "(?m)^  \\S[^:]*: +(http://\\S+)"));
      URI asset = URI.create(firstMatch(printed, "(?m)^    curl .* (http://\\S+/assets/\\S+)"));
      URI metrics = URI.create(firstMatch(printed, "(?m)^  Metrics: +(http://\\S+)"));
      Path disk = Path.of(firstMatch(printed, "(?m)^Disk cache: (\\S+)"));

      assertThat(book.getPath()).matches("/books/[^/]+/index\\.html");
      Response page = get(book);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("Content-Type")).startsWith("text/html");
      assertThat(get(asset).header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
      assertThat(get(asset).header("Cache-Status")).startsWith("edge; hit");
      // A request is counted once its last byte is written, which the client may see first.
      await().atMost(Duration.ofSeconds(10)).until(() -> get(metrics).text()
          .contains("gateway_requests_seconds_count{cache=\"hit\",method=\"GET\",status=\"200\"}"));
      String text = get(metrics).text();
      assertThat(value(text, "gateway_requests_seconds_count{cache=\"hit\",method=\"GET\",status=\"200\"}")).isPositive();
      assertThat(value(text, "gateway_served_bytes_total{source=\"memory\"}")).isPositive();
      assertThat(value(text, "gateway_origin_requests_seconds_count{origin=\"demo\",outcome=\"ok\"}")).isPositive();
      assertThat(value(text, "gateway_cache_bytes{tier=\"memory\"}")).isPositive();
      assertThat(disk).isDirectory();
      URI secureBook = URI.create(firstMatch(printed, "(?m)^  Over HTTPS: +(https://\\S+)"));
      Path ca = Path.of(firstMatch(printed, "(?m)^Gateway's throw-away CA: (\\S+)"));
      assertThat(secureBook.getPath()).isEqualTo(book.getPath());
      assertThat(getOverHttps(secureBook, ca).status()).isEqualTo(200);
      URI prefetch = URI.create(firstMatch(printed, "(?m)^    curl -s -X POST (http://\\S+/prefetch)$"));
      assertThat(prefetch.getPort()).isEqualTo(metrics.getPort());
      assertThat(get(prefetch).text()).as("the book is prefetched when asked, not before")
          .startsWith("{\"state\":\"idle\"");

      child.destroy(); // SIGTERM
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(read(log)).contains("gateway stopped");
      assertThat(disk).doesNotExist();
      assertThat(ca).doesNotExist();
    } finally {
      child.destroyForcibly();
    }
  }

  private static ProcessBuilder gatewayProcess(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static Response get(URI uri) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(uri.getPort())) {
      return client.get(uri.getRawPath()).read();
    }
  }

  /** GET over HTTPS trusting only the CA certificate in {@code caFile}. */
  private static Response getOverHttps(URI uri, Path caFile) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    trust.load(null, null);
    try (var in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry("demo", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory factory =
        javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
    javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name 127.0.0.1
    socket.setSSLParameters(parameters);
    try (TestHttpClient client = TestHttpClient.over(socket)) {
      return client.get(uri.getRawPath()).read();
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static String firstMatch(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
    return m.group(1);
  }

  private static double value(String exposition, String series) {
    return Double.parseDouble(firstMatch(exposition, "(?m)^" + Pattern.quote(series) + " (\\S+)$"));
  }
}
