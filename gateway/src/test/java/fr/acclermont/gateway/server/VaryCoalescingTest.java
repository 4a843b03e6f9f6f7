package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.NegotiatingOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A class opening a cold asset whose answers vary on {@code Accept-Encoding}, as every text asset
 * of a real textbook cloud does: the answer that reveals the {@code Vary} is stored under its
 * variant at once and serves every client that waited for it with the same variant; each other
 * variant costs one request of its own, never one per client; and no client ever gets a body in a
 * coding it did not accept (RFC 9110 12.5.3), even from an origin that forgets its {@code Vary}.
 */
class VaryCoalescingTest {

  private static final String CSS = "/books/maths-6e/assets/css/style-000.css";
  private static final String BROWSER = "Accept-Encoding: gzip, deflate, br";
  private static final String STORED = "edge; fwd=miss; fwd-status=200; stored";
  private static final String COLLAPSED = "edge; fwd=miss; fwd-status=200; collapsed";

  private final MutableClock clock = new MutableClock();
  private NegotiatingOrigin origin;
  private Gateway gateway;
  private Classroom classroom;

  @BeforeEach
  void start() throws Exception {
    origin = NegotiatingOrigin.start().serve(CSS, css());
    gateway = TestGateways.start(origin.baseUri(), "", clock);
    classroom = new Classroom(35, Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    classroom.close();
    gateway.close();
    origin.close();
  }

  /** A style sheet of a few KiB, as compressible as real CSS. */
  private static byte[] css() {
    StringBuilder css = new StringBuilder();
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      css.append(".exercise-").append(i).append(" { margin: ").append(random.nextInt(40)).append("px; color: #")
          .append(Integer.toHexString(random.nextInt(0xffffff))).append("; }\n");
    }
    return css.toString().getBytes(StandardCharsets.UTF_8);
  }

  private double coalesced() {
    return gateway.metrics().registry().get("gateway.coalesced.requests").counter().count();
  }

  /**
   * The class asks for the cold asset together; the origin holds its answer until all but the
   * leader are waiting for the leader's probe, so every one of them meets the first answer that
   * reveals the {@code Vary}.
   */
  private List<Response> classOpens(String... acceptEncodingById) throws Exception {
    origin.hold();
    double before = coalesced();
    Thread release = new Thread(() -> {
      await().atMost(Duration.ofSeconds(30)).until(() -> coalesced() - before >= 34);
      origin.release();
    });
    release.start();
    try {
      return classroom.together(gateway.port(), 35,
          (id, client) -> client.get(CSS, acceptEncodingById[id % acceptEncodingById.length]).read());
    } finally {
      release.join();
    }
  }

  @Test
  void thirtyFiveClients_sameAcceptEncoding_coldVaryingAsset_oneOriginRequest() throws Exception {
    List<Response> responses = classOpens(BROWSER);

    assertThat(origin.received(CSS)).hasSize(1);
    assertThat(responses).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
      assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
      assertThat(r.body()).isEqualTo(origin.bytes(CSS, "gzip"));
    });
    assertThat(responses).extracting(r -> r.header("Cache-Status")).containsOnly(STORED, COLLAPSED)
        .containsOnlyOnce(STORED);
    // Stored at once: the next student is a hit, the class cost the uplink nothing more.
    assertThat(get(CSS, "Accept-Encoding: br, gzip, deflate").header("Cache-Status")).startsWith("edge; hit");
    assertThat(origin.received(CSS)).hasSize(1);
  }

  @Test
  void thirtyFiveClients_twoAcceptEncodings_oneOriginRequestPerVariant() throws Exception {
    List<Response> responses = classOpens(BROWSER, "Accept-Encoding: identity");

    assertThat(origin.received(CSS)).extracting(NegotiatingOrigin.Received::acceptEncoding)
        .containsExactlyInAnyOrder("gzip, deflate, br", "identity");
    for (int id = 0; id < responses.size(); id++) {
      Response response = responses.get(id);
      assertThat(response.status()).isEqualTo(200);
      if (id % 2 == 0) {
        assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(response.body()).isEqualTo(origin.bytes(CSS, "gzip"));
      } else {
        assertThat(response.header("Content-Encoding")).as("never a coding it did not accept").isNull();
        assertThat(response.body()).isEqualTo(origin.bytes(CSS, "identity"));
      }
    }
    assertThat(responses).extracting(r -> r.header("Cache-Status")).filteredOn(STORED::equals).hasSize(2);
  }

  @Test
  void originForgettingItsVary_encodedCopyNeverServedToAClientThatDidNotAcceptIt() throws Exception {
    origin.sendVary(false);

    Response gzip = get(CSS, BROWSER);
    Response gzipAgain = get(CSS, "Accept-Encoding: br, gzip, deflate");
    Response plain = get(CSS);
    Response plainAgain = get(CSS, "Accept-Encoding: identity;q=1, gzip;q=0");
    Response identity = get(CSS, "Accept-Encoding: identity");

    assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(gzip.header("Vary")).as("added: the stored copy varies").isEqualTo("Accept-Encoding");
    assertThat(gzipAgain.header("Cache-Status")).startsWith("edge; hit");
    assertThat(gzipAgain.body()).isEqualTo(origin.bytes(CSS, "gzip"));
    for (Response unencoded : List.of(plain, plainAgain, identity)) {
      assertThat(unencoded.header("Content-Encoding")).isNull();
      assertThat(unencoded.body()).isEqualTo(origin.bytes(CSS, "identity"));
    }
    // The identity answer, without Vary, says the URL stopped varying (RFC 9111 4.1): stored
    // under the URL's own key and shared by every later request, the gzip copy no longer used.
    assertThat(plain.header("Cache-Status")).isEqualTo(STORED);
    assertThat(plainAgain.header("Cache-Status")).startsWith("edge; hit");
    assertThat(identity.header("Cache-Status")).startsWith("edge; hit");
    assertThat(origin.received(CSS)).hasSize(2);
  }

  @Test
  void rangeOfAnEncodedVariant_addressesTheEncodedBytes() throws Exception {
    get(CSS, BROWSER);

    Response range = get(CSS, BROWSER, "Range: bytes=10-99");

    assertThat(range.status()).isEqualTo(206);
    assertThat(range.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(range.header("Content-Range")).isEqualTo("bytes 10-99/" + origin.bytes(CSS, "gzip").length);
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(origin.bytes(CSS, "gzip"), 10, 100));
    assertThat(origin.received(CSS)).hasSize(1);
  }

  private Response get(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target, headers).read();
    }
  }
}
