package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.RawOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An origin in error costs one request per miss, not one per client: the probe's error answer
 * (status, headers, body) is handed whole to every client that waited for it, instead of each
 * passing the error through on a request of its own, a retry storm against an origin already in
 * trouble. Only an error body too large to keep is still passed through by each client.
 */
class OriginErrorSharingTest {

  private static final String PATH = "/books/broken/manifest.json";
  private static final String MAINTENANCE = "down for maintenance, back at 9:00";

  private final MutableClock clock = new MutableClock();
  private ScriptedOrigin origin;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    origin = ScriptedOrigin.start(0, clock);
    gateway = TestGateways.start(origin.baseUri(), "", clock);
  }

  @AfterEach
  void stop() {
    gateway.close();
    origin.close();
  }

  private Response request(String method, String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.request(method, target).read();
    }
  }

  private double coalesced() {
    return gateway.metrics().registry().get("gateway.coalesced.requests").counter().count();
  }

  @Test
  void oneClient_originAnswers503_oneOriginRequestAndTheOriginsAnswer() throws Exception {
    origin.answer(PATH, new Answer(503, MAINTENANCE, "Retry-After", "120", "Content-Type", "text/plain"));

    Response response = request("GET", PATH);

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.text()).isEqualTo(MAINTENANCE);
    assertThat(response.header("Retry-After")).isEqualTo("120");
    assertThat(response.header("Content-Type")).isEqualTo("text/plain");
    assertThat(response.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=503");
    assertThat(response.header("Via")).isNotNull();
    assertThat(origin.received(PATH)).as("the probe only, no second request to pass the error through").hasSize(1);
  }

  @Test
  void thirtyFiveClients_originAnswers503_oneOriginRequestAndEveryClientGetsItsAnswer() throws Exception {
    // The origin holds its answer until every other student has joined the probe.
    origin.answer(PATH, received -> {
      await().atMost(Duration.ofSeconds(20)).until(() -> coalesced() >= 34);
      return new Answer(503, MAINTENANCE, "Retry-After", "120");
    });

    List<Response> responses;
    try (Classroom classroom = new Classroom(35, Duration.ofSeconds(30))) {
      responses = classroom.together(gateway.port(), 35, (id, client) -> client.get(PATH).read());
    }

    assertThat(responses).hasSize(35).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.text()).isEqualTo(MAINTENANCE);
      assertThat(r.header("Retry-After")).isEqualTo("120");
      assertThat(r.header("Cache-Status")).startsWith("edge; fwd=miss; fwd-status=503");
    });
    assertThat(origin.received(PATH)).as("one request for the class").hasSize(1);
  }

  @Test
  void head_originAnswers500_statusAndLengthWithoutBody() throws Exception {
    origin.answer(PATH, new Answer(500, MAINTENANCE));

    Response response = request("HEAD", PATH);

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(MAINTENANCE.length()));
    assertThat(response.text()).isEmpty();
    assertThat(origin.received(PATH)).hasSize(1);
  }

  @Test
  void errorBodyTooLargeToKeep_passedThroughWhole() throws Exception {
    String page = "x".repeat(100 * 1024); // over the 64 KiB kept
    origin.answer(PATH, new Answer(502, page));

    Response response = request("GET", PATH);

    assertThat(response.status()).isEqualTo(502);
    assertThat(response.text()).isEqualTo(page);
    assertThat(origin.received(PATH)).as("the probe, then the client's own pass-through").hasSize(2);
  }

  @Test
  void originRecovers_nextRequestFetchesAgainAndStores() throws Exception {
    origin.answer(PATH, new Answer(503, MAINTENANCE));
    assertThat(request("GET", PATH).status()).isEqualTo(503);
    origin.answer(PATH, new Answer(200, "{\"book\":\"broken\"}", "Cache-Control", "max-age=60"));

    Response fixed = request("GET", PATH);
    Response hit = request("GET", PATH);

    assertThat(fixed.status()).isEqualTo(200);
    assertThat(fixed.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
    assertThat(hit.header("Cache-Status")).startsWith("edge; hit");
    assertThat(origin.received(PATH)).hasSize(2);
  }

  @Test
  void errorAnswerCutShort_notSharedAsComplete_theClientPassesItThroughItself() throws Exception {
    // The error's body ends 95 bytes short of its length: the kept answer would be incomplete.
    try (RawOrigin cutting = RawOrigin.start(request -> RawOrigin.Answer.of(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort"));
        Gateway cut = TestGateways.start(cutting.baseUri(), "", clock);
        TestHttpClient client = TestHttpClient.connect(cut.port())) {
      Response response = client.get(PATH).read();

      assertThat(response.status()).isEqualTo(503);
      assertThat(response.complete()).as("a cut body never looks complete").isFalse();
      assertThat(cutting.received(PATH)).as("the probe, then the client's own pass-through").hasSize(2);
    }
  }
}
