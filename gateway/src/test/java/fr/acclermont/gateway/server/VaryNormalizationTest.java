package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.RawOrigin;
import fr.acclermont.gateway.testing.RawOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Vary} as RFC 9111 4.1 reads it, end to end: an origin's {@code Vary} in any case, repeated,
 * with empty elements and on several lines, and requests whose selecting fields differ only in
 * ways that do not change their meaning (lines split or joined, whitespace, case of what is
 * case-insensitive, codings in another order) select the same stored variant; requests that do
 * differ (another language, an {@code Accept-Encoding} absent or asking for the identity only) do
 * not. Against an origin that writes exact bytes.
 */
class VaryNormalizationTest {

  private static RawOrigin origin;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    origin = RawOrigin.start(request -> Answer.of("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\n"
        + "Vary: accept-encoding, Accept-Encoding , ,Accept-Language\r\nVary: ACCEPT-LANGUAGE\r\n"
        + "Content-Length: 5\r\n\r\nhello"));
    gateway = TestGateways.start(origin.baseUri());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    origin.close();
  }

  private static Response get(String path, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(path, headers).read();
    }
  }

  @Test
  void requestsDifferingInsignificantly_oneStoredVariant() throws Exception {
    String path = "/blobs/vary/insignificant";
    Response stored = get(path, "Accept-Encoding: gzip, br", "Accept-Language: fr-FR, en;q=0.5");

    Response sameOtherwiseWritten = get(path, "Accept-Encoding: BR", "Accept-Encoding: gzip",
        "Accept-Language: FR-fr ,", "Accept-Language: en ; q=0.5");
    Response otherLanguage = get(path, "Accept-Encoding: gzip, br", "Accept-Language: en");

    assertThat(stored.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
    assertThat(sameOtherwiseWritten.header("Cache-Status")).startsWith("edge; hit");
    assertThat(sameOtherwiseWritten.text()).isEqualTo("hello");
    assertThat(otherLanguage.header("Cache-Status")).doesNotContain("hit");
    assertThat(origin.received(path)).hasSize(2);
  }

  @Test
  void absentAcceptEncoding_matchesOnlyItsAbsence() throws Exception {
    String path = "/blobs/vary/absent";
    get(path, "Accept-Language: fr");

    Response absentAgain = get(path, "Accept-Language: fr");
    Response identityOnly = get(path, "Accept-Language: fr", "Accept-Encoding: identity");
    Response identityOnlyAgain = get(path, "Accept-Language: fr", "Accept-Encoding: gzip;q=0");

    assertThat(absentAgain.header("Cache-Status")).startsWith("edge; hit");
    assertThat(identityOnly.header("Cache-Status")).doesNotContain("hit");
    assertThat(identityOnlyAgain.header("Cache-Status")).as("the identity only, written otherwise")
        .startsWith("edge; hit");
    assertThat(origin.received(path)).hasSize(2);
  }
}
