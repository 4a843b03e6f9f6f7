package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The bearer token of the management port ({@code admin.token-file}), on two gateways sharing one
 * token file: {@link #locked} with {@code metrics-require-token: true}, {@link #scrapeOpen} with
 * the default (metrics open, for the scrape configurations that exist today).
 */
class AdminTokenEndpointsTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  /** The file as {@code echo} writes it: the trailing newline is not part of the token. */
  private static final Path TOKEN_FILE = tokenFile(TOKEN + "\n");

  @RegisterExtension
  static final GatewayExtension locked = new GatewayExtension(
      "admin: { token-file: \"" + TOKEN_FILE + "\", metrics-require-token: true }");

  @RegisterExtension
  static final GatewayExtension scrapeOpen = new GatewayExtension(
      "admin: { token-file: \"" + TOKEN_FILE + "\" }");

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AdminHandler.class);

  /** Written before the extensions start their gateways, which read it; gone when the JVM exits. */
  private static Path tokenFile(String text) {
    try {
      Path file = Files.createTempFile("admin-token-", ".txt");
      file.toFile().deleteOnExit();
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void captureLogs() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
  }

  private static Response get(GatewayExtension env, String path, String... headers) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      return client.get(path, headers).read();
    }
  }

  private static void assertRefused(Response response) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"textbook-gateway-admin\"");
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    assertThat(response.text()).startsWith("unauthorized: ").doesNotContain(TOKEN);
  }

  @Test
  void metrics_noToken_whenRequired_401WithChallenge() throws IOException {
    Response response = get(locked, "/metrics");

    assertRefused(response);
    assertThat(response.text()).doesNotContain("gateway_");
  }

  @Test
  void metrics_rightToken_whenRequired_served() throws IOException {
    Response response = get(locked, "/metrics", "Authorization: Bearer " + TOKEN);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).contains("gateway_build_info{school=\"test\"");
  }

  @Test
  void metrics_schemeInAnyCase_served() throws IOException {
    assertThat(get(locked, "/metrics", "Authorization: bearer " + TOKEN).status()).isEqualTo(200);
  }

  @Test
  void metrics_wrongToken_401() throws IOException {
    assertRefused(get(locked, "/metrics", "Authorization: Bearer not-the-token-at-all"));
  }

  @Test
  void metrics_wrongTokenOfTheSameLength_401() throws IOException {
    String sameLength = TOKEN.substring(0, TOKEN.length() - 1) + "0";
    assertThat(sameLength).hasSameSizeAs(TOKEN).isNotEqualTo(TOKEN);

    assertRefused(get(locked, "/metrics", "Authorization: Bearer " + sameLength));
  }

  @Test
  void metrics_tokenAsBasicCredentials_401() throws IOException {
    assertRefused(get(locked, "/metrics", "Authorization: Basic " + TOKEN));
  }

  @Test
  void healthzAndReadyz_noToken_open() throws IOException {
    assertThat(get(locked, "/healthz").status()).isEqualTo(200);
    assertThat(get(locked, "/readyz").status()).isEqualTo(200);
    assertThat(get(scrapeOpen, "/healthz").status()).isEqualTo(200);
    assertThat(get(scrapeOpen, "/readyz").status()).isEqualTo(200);
  }

  @Test
  void metrics_noToken_byDefault_openEvenWithATokenFile() throws IOException {
    Response response = get(scrapeOpen, "/metrics");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).contains("gateway_build_info{school=\"test\"");
  }

  @Test
  void unknownPath_noToken_401LikeAnEndpoint() throws IOException {
    assertRefused(get(scrapeOpen, "/nothing"));
    assertRefused(get(locked, "/nothing"));
    // Exact paths only: a variant of a public path is not public.
    assertRefused(get(scrapeOpen, "/metrics/"));
  }

  @Test
  void unknownPath_rightToken_404() throws IOException {
    assertThat(get(scrapeOpen, "/nothing", "Authorization: Bearer " + TOKEN).status()).isEqualTo(404);
  }

  @Test
  void otherMethod_noToken_401Not405() throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(scrapeOpen.gateway().adminPort())) {
      assertRefused(client.request("DELETE", "/cache").read());
    }
  }

  @Test
  void refusal_logsOneInfoLineWithClientPathAndReason_neverTheToken() throws IOException {
    String wrong = TOKEN.replace('a', 'b');
    get(locked, "/metrics?x=1", "Authorization: Bearer " + wrong);

    assertThat(logs.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.INFO);
      assertThat(event.getFormattedMessage())
          .contains("127.0.0.1", "/metrics", "wrong token")
          .doesNotContain(wrong, TOKEN, "x=1");
    });
  }

  @Test
  void refusal_noHeader_logsWhy() throws IOException {
    get(locked, "/metrics");

    assertThat(logs.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .contains("/metrics", "no Authorization header");
  }

  @Test
  void acceptedRequests_logNothing() throws IOException {
    get(locked, "/metrics", "Authorization: Bearer " + TOKEN);
    get(locked, "/healthz");

    assertThat(logs.list).isEmpty();
  }
}
