package fr.acclermont.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.testing.HeldOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /reload} on the management port: a real gateway started from a file, the file
 * rewritten, the reload asked for over a socket. 200 when applied or unchanged, 409 when refused
 * (the running configuration is kept), 405 for another method, 401 without the token when one is
 * configured; requests pipelined behind a reload are answered after it, in order.
 */
class ReloadEndpointTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path work;

  private HeldOrigin origin;
  private Path file;
  private Gateway gateway;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = HeldOrigin.start();
    file = work.resolve("gateway.yaml");
  }

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  private void start(String extra) throws IOException {
    write(extra);
    gateway = Gateway.start(ConfigLoader.load(file, Map.of()), Clock.systemUTC(), file, Map.of());
  }

  private void write(String extra) throws IOException {
    Files.writeString(file, TestGateways.yaml(origin.baseUri(), extra));
  }

  private Response admin(String method, String target, String... headers) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.adminPort()).timeout(30_000)) {
      return client.request(method, target, headers).read();
    }
  }

  private Response postReload(String... headers) throws IOException {
    String[] withLength = new String[headers.length + 1];
    withLength[0] = "Content-Length: 0";
    System.arraycopy(headers, 0, withLength, 1, headers.length);
    return admin("POST", "/reload", withLength);
  }

  @Test
  void postReload_sameFile_200Unchanged() throws Exception {
    start("");
    GatewayConfig running = gateway.config();

    Response response = postReload();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).startsWith("unchanged: ").endsWith("\n");
    assertThat(response.header("Content-Type")).startsWith("text/plain");
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    assertThat(gateway.config()).isEqualTo(running);
  }

  @Test
  void postReload_liveChange_200AppliedNamingTheKey_configurationReplaced() throws Exception {
    start("");
    write("limits: { max-headers: 50 }");

    Response response = postReload();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).startsWith("applied: ").contains("limits");
    assertThat(gateway.config().limits().maxHeaders()).isEqualTo(50);
  }

  @Test
  void postReload_listenPortChanged_409RestartRequiredNamingServerPort_configurationKept() throws Exception {
    start("");
    GatewayConfig running = gateway.config();
    write("server: { port: 1 }\nlimits: { max-headers: 50 }");

    Response response = postReload();

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.text()).startsWith("restart-required: ").contains("server.port").doesNotContain("limits");
    assertThat(gateway.config()).isSameAs(running);
    assertThat(gateway.config().limits().maxHeaders()).isNotEqualTo(50);
  }

  @Test
  void postReload_badValue_409InvalidNamingTheKey_configurationKept() throws Exception {
    start("");
    GatewayConfig running = gateway.config();
    write("limits: { max-headers: lots }");

    Response response = postReload();

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.text()).startsWith("invalid: ").contains("limits.max-headers");
    assertThat(gateway.config()).isSameAs(running);
  }

  @Test
  void postReload_fileGone_409InvalidNamingTheFile_configurationKept() throws Exception {
    start("");
    GatewayConfig running = gateway.config();
    Files.delete(file);

    Response response = postReload();

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.text()).startsWith("invalid: ").contains(file.toString());
    assertThat(gateway.config()).isSameAs(running);
  }

  @Test
  void postReload_notYaml_409Invalid_configurationKept() throws Exception {
    start("");
    GatewayConfig running = gateway.config();
    Files.writeString(file, "server: { port: [\n");

    Response response = postReload();

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.text()).startsWith("invalid: ");
    assertThat(gateway.config()).isSameAs(running);
  }

  @Test
  void getReload_405AllowPost_nothingReloaded() throws Exception {
    start("");
    GatewayConfig running = gateway.config();
    write("limits: { max-headers: 50 }");

    Response response = admin("GET", "/reload");

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("Allow")).isEqualTo("POST");
    assertThat(gateway.config()).isSameAs(running);
  }

  @Test
  void postReload_tokenConfigured_noToken_401NothingReloaded() throws Exception {
    start(tokenAdmin());
    GatewayConfig running = gateway.config();
    write(tokenAdmin() + "\nlimits: { max-headers: 50 }");

    Response refused = postReload();
    Response wrong = postReload("Authorization: Bearer " + TOKEN.replace('0', 'x'));

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(gateway.config()).isSameAs(running);
    assertThat(gateway.metrics().scrape()).doesNotContain("gateway_config_reloads_total{result=\"applied\"} 1.0");
  }

  @Test
  void postReload_tokenConfigured_rightToken_200Applied() throws Exception {
    start(tokenAdmin());
    write(tokenAdmin() + "\nlimits: { max-headers: 50 }");

    Response response = postReload("Authorization: Bearer " + TOKEN);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).startsWith("applied: ").contains("limits");
    assertThat(gateway.config().limits().maxHeaders()).isEqualTo(50);
  }

  /** Three requests in one write: the reload's answer first, then the others, in order. */
  @Test
  void postReload_requestsPipelinedBehind_answeredAfterItInOrder() throws Exception {
    start("");
    write("limits: { max-headers: 50 }");

    try (TestHttpClient client = TestHttpClient.connect(gateway.adminPort()).timeout(30_000)) {
      client.sendRaw("POST /reload HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n"
          + "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"
          + "POST /reload HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n"
          + "GET /nothing HTTP/1.1\r\nHost: test\r\n\r\n");

      Response reloaded = client.read();
      Response healthz = client.read();
      Response again = client.read();
      Response notFound = client.read();

      assertThat(reloaded.status()).isEqualTo(200);
      assertThat(reloaded.text()).startsWith("applied: ");
      assertThat(healthz.status()).isEqualTo(200);
      assertThat(healthz.text()).isEqualTo("ok\n");
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.text()).as("the second reload reads the file the first applied").startsWith("unchanged: ");
      assertThat(notFound.status()).isEqualTo(404);
    }
  }

  private String tokenAdmin() throws IOException {
    Path token = Files.writeString(work.resolve("admin.token"), TOKEN + "\n", StandardCharsets.US_ASCII);
    return "admin: { token-file: \"" + token + "\" }";
  }
}
