package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.RawOrigin;
import fr.acclermont.gateway.testing.RawOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interim {@code 1xx} responses (RFC 9110 15.2) and {@code Expect: 100-continue} (10.1.1), against
 * an origin that writes exact bytes. A pass-through forwards an origin's interim responses other
 * than {@code 100} to HTTP/1.1 clients, then the final response; so does a fetch for the cache, to
 * the client that caused it (see {@link EarlyHintsTest}); neither ever takes a {@code 1xx} for the
 * final response or stores it. The gateway answers a
 * client's {@code 100-continue} itself, once the request is on its way to the origin. Upgrades
 * are not supported: {@code Upgrade} is not forwarded (the origin answers the plain request), and
 * an origin's {@code 101} is a broken response (502).
 */
class InterimResponsesTest {

  private static final String EARLY_HINTS = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n";
  private static final String HELLO = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private static RawOrigin origin;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    origin = RawOrigin.start(InterimResponsesTest::answer);
    // A short response timeout for the origin that never sends its final response.
    gateway = TestGateways.start(origin.baseUri(), """
        origins:
          - name: cloud
            url: %s
            paths: ["/blobs/"]
            connect-timeout: 1s
            response-timeout: 500ms
            idle-timeout: 1s
        """.formatted(origin.baseUri()), Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    origin.close();
  }

  /** The origin's script, by the second path segment. */
  private static Answer answer(RawOrigin.Request request) {
    String kind = request.target().split("/")[2];
    return switch (kind) {
      case "hints" -> Answer.of(EARLY_HINTS + (request.method().equals("HEAD") ? HELLO.replace("hello", "") : HELLO));
      case "hints-cacheable" -> Answer.of(EARLY_HINTS
          + "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 5\r\n\r\nhello");
      case "hints-private" -> Answer.of(EARLY_HINTS
          + "HTTP/1.1 200 OK\r\nCache-Control: private\r\nContent-Length: 5\r\n\r\nhello");
      case "processing" -> Answer.of("HTTP/1.1 102 Processing\r\n\r\n" + EARLY_HINTS + HELLO);
      case "continue" -> new Answer("HTTP/1.1 100 Continue\r\n\r\n", OK);
      case "hints-then-silence" -> Answer.of(EARLY_HINTS);
      case "switch" -> Answer.of("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
      default -> Answer.of(OK);
    };
  }

  private static TestHttpClient connect() throws Exception {
    return TestHttpClient.connect(gateway.port());
  }

  @Test
  void passThroughGet_earlyHintsThenFinal_clientGetsBothInOrder() throws Exception {
    String path = "/blobs/hints/pass";
    try (TestHttpClient client = connect()) {
      client.get(path, "Cache-Control: no-store"); // no-store: passed through, not probed
      Response hints = client.read();
      Response last = client.read();
      Response next = client.get("/blobs/plain/after-hints", "Cache-Control: no-store").read(); // still in sync

      assertThat(hints.status()).isEqualTo(103);
      assertThat(hints.header("Link")).isEqualTo("</a.css>; rel=preload");
      assertThat(last.status()).isEqualTo(200);
      assertThat(last.text()).isEqualTo("hello");
      assertThat(last.header("Cache-Status")).isEqualTo("edge; fwd=bypass; fwd-status=200");
      assertThat(next.text()).isEqualTo("ok");
    }
    assertThat(origin.received(path)).hasSize(1);
  }

  @Test
  void cacheableGet_earlyHintsBeforeFinal_finalStoredAndServedAsHit() throws Exception {
    String path = "/blobs/hints-cacheable/stored";
    try (TestHttpClient client = connect()) {
      client.get(path); // a probe: its interim response goes to this client, and is not stored
      Response hints = client.read();
      Response first = client.read();
      Response second = client.get(path).read();

      assertThat(hints.status()).isEqualTo(103);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo("hello");
      assertThat(first.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.text()).isEqualTo("hello");
      assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin.received(path)).hasSize(1);
  }

  @Test
  void uncacheableGet_earlyHintsBeforeFinal_passedThroughWithHintsNeverStored() throws Exception {
    String path = "/blobs/hints-private/uncacheable";
    try (TestHttpClient client = connect()) {
      // The probe's interim response is relayed; its final one may not be stored (private), so
      // the request is passed through, which forwards the interim response of its own fetch.
      client.get(path);
      Response probeHints = client.read();
      Response firstHints = client.read();
      Response first = client.read();
      client.get(path); // remembered as unstorable: passed through at once
      Response secondHints = client.read();
      Response second = client.read();

      assertThat(probeHints.status()).isEqualTo(103);
      assertThat(firstHints.status()).isEqualTo(103);
      assertThat(first.text()).isEqualTo("hello");
      assertThat(first.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200");
      assertThat(secondHints.status()).isEqualTo(103);
      assertThat(second.text()).isEqualTo("hello");
    }
    assertThat(origin.received(path)).hasSize(3); // probe, pass-through, pass-through
  }

  @Test
  void headMiss_earlyHintsThenFinalWithLength_noBodyAndConnectionsStayInSync() throws Exception {
    String path = "/blobs/hints/head";
    try (TestHttpClient client = connect()) {
      client.request("HEAD", path);
      Response hints = client.readHead();
      Response head = client.readHead();
      Response next = client.get("/blobs/plain/after-head", "Cache-Control: no-store").read();

      assertThat(hints.status()).isEqualTo(103);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo("5");
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.text()).isEqualTo("ok");
    }
    assertThat(origin.received(path)).hasSize(1);
  }

  @Test
  void passThrough_severalInterimResponses_allForwardedThenFinal() throws Exception {
    String path = "/blobs/processing/pass";
    try (TestHttpClient client = connect()) {
      client.get(path, "Cache-Control: no-store");
      Response processing = client.read();
      Response hints = client.read();
      Response last = client.read();

      assertThat(processing.status()).isEqualTo(102);
      assertThat(hints.status()).isEqualTo(103);
      assertThat(last.text()).isEqualTo("hello");
    }
  }

  @Test
  void http10Client_earlyHints_notForwarded() throws Exception {
    String path = "/blobs/hints/http10";
    try (TestHttpClient client = connect()) {
      client.sendRaw("GET " + path + " HTTP/1.0\r\nCache-Control: no-store\r\n\r\n");
      Response response = client.read();

      assertThat(response.status()).isEqualTo(200); // HTTP/1.0 has no 1xx (RFC 9110 15.2)
      assertThat(response.text()).isEqualTo("hello");
    }
  }

  @Test
  void postWithExpectContinue_gatewayAnswers100_bodyReachesOriginThatSends100First() throws Exception {
    String path = "/blobs/continue/expect";
    byte[] body = "the request body".getBytes(StandardCharsets.UTF_8);
    try (TestHttpClient client = connect()) {
      client.sendRaw("POST " + path + " HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: "
          + body.length + "\r\n\r\n");
      Response proceed = client.timeout(5_000).read(); // waited for before any body byte is sent
      client.sendBytes(body);
      Response last = client.read();
      Response next = client.get("/blobs/plain/after-continue", "Cache-Control: no-store").read();

      assertThat(proceed.status()).isEqualTo(100);
      assertThat(last.status()).isEqualTo(200); // the origin's own 100 is not passed on as well
      assertThat(last.text()).isEqualTo("ok");
      assertThat(next.text()).isEqualTo("ok");
    }
    assertThat(origin.received(path)).hasSize(1);
    RawOrigin.Received received = origin.received(path).get(0);
    assertThat(received.body()).isEqualTo(body);
    assertThat(received.request().header("Expect")).isNull(); // met at the gateway: the body is sent anyway
  }

  @Test
  void postWithoutExpect_originSends100First_clientGetsOnlyTheFinalResponse() throws Exception {
    String path = "/blobs/continue/no-expect";
    try (TestHttpClient client = connect()) {
      client.sendRaw("POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody");
      Response last = client.read();
      Response next = client.get("/blobs/plain/after-no-expect", "Cache-Control: no-store").read();

      assertThat(last.status()).isEqualTo(200);
      assertThat(last.text()).isEqualTo("ok");
      assertThat(next.text()).isEqualTo("ok");
    }
    assertThat(origin.received(path).get(0).body()).isEqualTo("body".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void interimResponseThenSilence_504AfterTheResponseTimeout() throws Exception {
    String path = "/blobs/hints-then-silence/timeout";
    try (TestHttpClient client = connect()) {
      client.get(path, "Cache-Control: no-store");
      Response hints = client.read();
      Response last = client.timeout(5_000).read();

      assertThat(hints.status()).isEqualTo(103);
      assertThat(last.status()).isEqualTo(504);
    }
  }

  @Test
  void upgradeRequest_upgradeNotForwarded_plainAnswerAndConnectionReusable() throws Exception {
    String path = "/blobs/plain/upgrade";
    try (TestHttpClient client = connect()) {
      Response response = client.get(path, "Cache-Control: no-store", "Connection: Upgrade",
          "Upgrade: websocket").read();
      Response next = client.get("/blobs/plain/after-upgrade", "Cache-Control: no-store").read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo("ok");
      assertThat(next.text()).isEqualTo("ok");
    }
    RawOrigin.Request forwarded = origin.received(path).get(0).request();
    assertThat(forwarded.header("Upgrade")).isNull();
    assertThat(forwarded.header("Connection")).isNull();
  }

  @Test
  void originSwitchingProtocols_unasked_502AndNextRequestServed() throws Exception {
    String path = "/blobs/switch/unasked";
    try (TestHttpClient client = connect()) {
      Response response = client.get(path, "Cache-Control: no-store").read();

      assertThat(response.status()).isEqualTo(502);
    }
    try (TestHttpClient client = connect()) {
      Response next = client.get("/blobs/plain/after-switch", "Cache-Control: no-store").read();

      assertThat(next.text()).isEqualTo("ok");
    }
  }
}
