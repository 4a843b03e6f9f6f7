package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.security.SignedUrls;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.SliceRanges;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import fr.acclermont.gateway.testing.TestSecrets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed links in front of a real origin: every request under the rule is checked, a pupil without
 * a valid link gets 403 on a kept connection, and every pupil's differently signed link finds the
 * one stored copy (one origin fetch per slice for a whole class).
 */
class SignedUrlEntitlementTest {

  private static final String OLD = "previous-term-secret-0123456789";
  private static final String NEW = "this-term-secret-0123456789abcd";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("""
      entitlement:
        rules:
          - paths: ["/blobs/"]
            mode: signed-url
            clock-skew: 0s
            keys:
              - { id: "2026-09", secret-file: "%s" }
              - { id: "2027-01", secret-file: "%s" }
      """.formatted(TestSecrets.file(OLD), TestSecrets.file(NEW)));

  private static long inOneHour() {
    return System.currentTimeMillis() / 1000 + 3600;
  }

  private static String link(String path, long exp, String group, String kid, String secret) {
    return path + "?" + SignedUrls.sign(path, exp, group, kid, TestSecrets.bytes(secret));
  }

  private static Response get(String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target).read();
    }
  }

  private static double denied(String reason) {
    return env.gateway().metrics().registry().get("gateway.entitlement.denied").tag("reason", reason).counter().count();
  }

  @Test
  void validLink_servedWithTheOriginsBytes() throws Exception {
    String path = "/blobs/64KiB/valid-link";
    Response response = get(link(path, inOneHour(), "6e-b", "2027-01", NEW));

    assertThat(response.status()).isEqualTo(200);
    assertThat(TestHttpClient.sha256(response.body())).isEqualTo(ExpectedContent.sha256(path, 64 << 10));
    // The origin is asked for the page, not for the pupil's link.
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void twoPupilsDifferentlySignedLinks_oneStoredCopy_oneOriginFetch() throws Exception {
    String path = "/blobs/64KiB/shared-copy";
    Response first = get(link(path, inOneHour(), "6e-a", "2027-01", NEW));
    Response second = get(link(path, inOneHour() + 60, "6e-b", "2026-09", OLD));

    assertThat(first.header("Cache-Status")).contains("fwd=miss").contains("stored");
    assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    assertThat(TestHttpClient.sha256(second.body())).isEqualTo(TestHttpClient.sha256(first.body()));
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void storedCopy_stillCheckedOnEveryRequest() throws Exception {
    String path = "/blobs/64KiB/stored-then-asked-unsigned";
    assertThat(get(link(path, inOneHour(), null, "2027-01", NEW)).status()).isEqualTo(200);
    double before = denied("missing");

    Response unsigned = get(path);

    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(unsigned.text()).contains("not entitled (missing)");
    assertThat(unsigned.header("Cache-Control")).isEqualTo("no-store");
    assertThat(denied("missing") - before).isEqualTo(1);
  }

  @Test
  void expiredLink_403Expired() throws Exception {
    String path = "/blobs/64KiB/expired";
    double before = denied("expired");
    Response response = get(link(path, System.currentTimeMillis() / 1000 - 5, null, "2027-01", NEW));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.text()).contains("(expired)");
    assertThat(denied("expired") - before).isEqualTo(1);
    assertThat(env.origin().stats().requests(path)).isZero();
  }

  @Test
  void tamperedPathOrExpiry_403BadSignature_originNeverAsked() throws Exception {
    String path = "/blobs/64KiB/tampered";
    double before = denied("bad-signature");
    long exp = inOneHour();
    String otherPage = link("/blobs/64KiB/other-page", exp, null, "2027-01", NEW).replace("other-page", "tampered");
    String longer = link(path, exp, null, "2027-01", NEW).replace("exp=" + exp, "exp=" + (exp + 86_400));

    assertThat(get(otherPage).status()).isEqualTo(403);
    assertThat(get(longer).status()).isEqualTo(403);
    assertThat(denied("bad-signature") - before).isEqualTo(2);
    assertThat(env.origin().stats().requests(path)).isZero();
  }

  @Test
  void unknownKeyId_403UnknownKey() throws Exception {
    double before = denied("unknown-key");
    Response response = get(link("/blobs/64KiB/unknown-key", inOneHour(), null, "2024-01", NEW));

    assertThat(response.status()).isEqualTo(403);
    assertThat(denied("unknown-key") - before).isEqualTo(1);
  }

  @Test
  void denied_connectionKept_nextRequestServed() throws Exception {
    String path = "/blobs/64KiB/kept-connection";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      assertThat(client.get(path).read().status()).isEqualTo(403);
      Response next = client.get(link(path, inOneHour(), null, "2027-01", NEW)).read();
      assertThat(next.status()).isEqualTo(200);
    }
  }

  @Test
  void headUnsigned_403_andPathsOutsideTheRule_servedWithoutLink() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      assertThat(client.request("HEAD", "/blobs/64KiB/head-unsigned").readHead().status()).isEqualTo(403);
    }
    Response free = get("/books/maths-6e/manifest.json");
    assertThat(free.status()).isEqualTo(200);
  }

  @Test
  void classOf35_eachWithOwnLinkToOneColdPdf_oneOriginFetchPerSlice_pupilWithoutLinkRefused() throws Exception {
    String path = "/blobs/8MiB/manuel-6e.pdf";
    String expected = ExpectedContent.sha256(path, 8 << 20);
    long exp = inOneHour();
    List<Response> responses;
    try (Classroom classroom = new Classroom(36, Duration.ofSeconds(60))) {
      responses = classroom.together(env.gateway().port(), 36, (id, client) -> {
        // Pupil 35 has no link; the others each their own (own group claim, own expiry).
        String target = id == 35 ? path + "?delay=300"
            : link(path, exp + id, "pupil-" + id, id % 2 == 0 ? "2027-01" : "2026-09", id % 2 == 0 ? NEW : OLD)
                + "&delay=300";
        return client.get(target).readDigestOnly();
      });
    }

    assertThat(responses.subList(0, 35)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.sha256()).isEqualTo(expected);
    });
    assertThat(responses.get(35).status()).isEqualTo(403);
    assertThat(env.origin().stats().requests(path)).isEqualTo(8);
    assertThat(env.origin().stats().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(8 << 20));
    assertThat(env.origin().stats().bytesSentMoreThanOnce(path)).isZero();
  }
}
