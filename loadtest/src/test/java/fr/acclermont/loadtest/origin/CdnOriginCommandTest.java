package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code origin --profile cdn --ca-out FILE}: an HTTPS origin whose CA is in FILE; bad uses of the flags. */
class CdnOriginCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final OriginCommand command = new OriginCommand();

  @TempDir
  Path dir;

  @Test
  void profileCdn_caOut_servesHttpsTrustedByTheWrittenCa() throws Exception {
    Path ca = dir.resolve("ca.pem");
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> execute("--port", "0",
        "--bandwidth", "unlimited", "--latency", "0ms", "--profile", "cdn", "--ca-out", ca.toString()));
    await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("Stop with"));
    Matcher base = Pattern.compile("Origin simulator on (https://127\\.0\\.0\\.1:\\d+)").matcher(out.toString());
    assertThat(base.find()).as(out.toString()).isTrue();
    assertThat(out.toString()).contains("profile:  cdn", "CA certificate to trust: " + ca);

    HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).build();
    HttpResponse<byte[]> manifest = client.send(HttpRequest.newBuilder(
        URI.create(base.group(1) + "/books/maths-6e/manifest.json")).header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    command.requestStop();

    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(manifest.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(ca).exists();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void badProfile_orCaOutWithoutCdn_oneLineExit2() {
    assertThat(execute("--port", "0", "--profile", "akamai")).isEqualTo(2);
    assertThat(err).hasToString("--profile: \"akamai\" (expected plain, https or cdn)" + System.lineSeparator());

    StringWriter second = new StringWriter();
    int code = new CommandLine(new OriginCommand()).setErr(new PrintWriter(second, true))
        .execute("--port", "0", "--ca-out", dir.resolve("ca.pem").toString());
    assertThat(code).isEqualTo(2);
    assertThat(second.toString()).startsWith("--ca-out: ").contains("only with --profile https or cdn");
  }

  private int execute(String... args) {
    return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (var in = Files.newInputStream(pem)) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
