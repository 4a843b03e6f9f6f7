package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /purge} behind {@code admin.token-file}: without the right token it is refused
 * (401) whatever its parameters, and nothing is dropped; with it, the purge is done. With the
 * default {@code metrics-require-token: false}: an open {@code /metrics} does not open purges.
 */
class PurgeTokenTest {

  private static final String TOKEN = "fedcba9876543210fedcba9876543210";
  private static final Path TOKEN_FILE = tokenFile(TOKEN + "\n");
  private static final String PATH = "/blobs/1KiB/purge-token";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("admin: { token-file: \"" + TOKEN_FILE + "\" }");

  private static Path tokenFile(String text) {
    try {
      Path file = Files.createTempFile("admin-token-", ".txt");
      file.toFile().deleteOnExit();
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response get(String target) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target).read();
    }
  }

  private static Response purge(String target, String... headers) throws Exception {
    return PurgeEndpointTest.post(env.gateway().adminPort(), target, headers);
  }

  private static double purges() {
    return env.gateway().metrics().registry().get("gateway.purges").tag("kind", "url").counter().count();
  }

  @Test
  void withoutTheRightToken_401_nothingDropped_thenWithIt_purged() throws Exception {
    get(PATH);
    String target = "/purge?url=%2Fblobs%2F1KiB%2Fpurge-token";

    Response none = purge(target);
    Response wrong = purge(target, "Authorization: Bearer " + TOKEN.replace('f', '0'));
    Response basic = purge(target, "Authorization: Basic " + TOKEN);

    for (Response refused : new Response[] {none, wrong, basic}) {
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo(AdminAccess.CHALLENGE);
    }
    assertThat(purges()).isZero();
    assertThat(get(PATH).header("Cache-Status")).startsWith("edge; hit");

    Response allowed = purge(target, "Authorization: Bearer " + TOKEN);

    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.text()).isEqualTo("{\"objects\":1,\"bytes\":1024}\n");
    assertThat(purges()).isEqualTo(1);
    assertThat(get(PATH).header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
  }

  @Test
  void withoutTheToken_badParametersAndOtherMethods_401Too() throws Exception {
    assertThat(purge("/purge").status()).isEqualTo(401);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      assertThat(client.get("/purge?url=%2Fblobs%2Fa").read().status()).isEqualTo(401);
    }
    assertThat(purge("/purge", "Authorization: Bearer " + TOKEN).status()).isEqualTo(400);
  }
}
