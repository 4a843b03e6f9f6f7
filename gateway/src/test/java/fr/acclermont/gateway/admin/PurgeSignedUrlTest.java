package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.security.SignedUrls;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import fr.acclermont.gateway.testing.TestSecrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A purge by URL under a signed-url entitlement rule is keyed as a pupil's request is: the one
 * copy every pupil's link shares is found from the plain path, or from any pupil's link (its
 * signature is not part of the key).
 */
class PurgeSignedUrlTest {

  private static final String SECRET = "this-term-secret-0123456789abcd";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("""
      entitlement:
        rules:
          - paths: ["/blobs/"]
            mode: signed-url
            keys:
              - { id: "2027-01", secret-file: "%s" }
      """.formatted(TestSecrets.file(SECRET)));

  private static String link(String path, String group) {
    long inOneHour = System.currentTimeMillis() / 1000 + 3600;
    return path + "?" + SignedUrls.sign(path, inOneHour, group, "2027-01", TestSecrets.bytes(SECRET));
  }

  private static Response get(String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target).read();
    }
  }

  private static Response purge(String url) throws Exception {
    return PurgeEndpointTest.post(env.gateway().adminPort(),
        "/purge?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
  }

  @Test
  void plainPath_dropsTheCopyEveryLinkShares() throws Exception {
    String path = "/blobs/8KiB/purge-signed-plain";
    get(link(path, "6e-a"));
    assertThat(get(link(path, "6e-b")).header("Cache-Status")).startsWith("edge; hit");

    assertThat(purge(path).text()).isEqualTo("{\"objects\":1,\"bytes\":8192}\n");

    assertThat(get(link(path, "6e-b")).header("Cache-Status")).contains("fwd=miss").contains("stored");
  }

  @Test
  void aPupilsLink_dropsTheSameCopy() throws Exception {
    String path = "/blobs/8KiB/purge-signed-link";
    get(link(path, "6e-a"));

    assertThat(purge(link(path, "6e-c")).text()).isEqualTo("{\"objects\":1,\"bytes\":8192}\n");

    assertThat(get(link(path, "6e-a")).header("Cache-Status")).contains("fwd=miss").contains("stored");
  }
}
