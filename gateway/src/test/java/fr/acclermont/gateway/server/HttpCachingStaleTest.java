package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stale copies at socket level, against a scripted origin dated with the test's clock:
 * stale-while-revalidate (RFC 5861), stale copies standing in for an origin in error
 * (RFC 9111 4.2.4, stale-if-error) unless they must be revalidated, and the offline mode when the
 * origin is out of reach.
 */
class HttpCachingStaleTest extends HttpCachingFixture {

  // RFC 5861: stale-while-revalidate

  @Test
  void staleWhileRevalidate_thirtyFiveClientsServedAtOnce_oneBackgroundFetch() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60, stale-while-revalidate=600"));
    get(PATH);
    clock.advance(Duration.ofSeconds(61));

    List<Response> responses;
    try (Classroom classroom = new Classroom(35, Duration.ofSeconds(20))) {
      responses = classroom.together(gateway.port(), 35, (id, client) -> client.get(PATH).read());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> origin.received(PATH).size() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> get(PATH).header("Cache-Status").startsWith("edge; hit; ttl=6"));

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.text()).isEqualTo("edition one");
      assertThat(r.header("Cache-Status")).isIn("edge; hit; ttl=-1; detail=stale-while-revalidate",
          "edge; hit; ttl=60");
    });
    assertThat(origin.received(PATH)).as("one background revalidation").hasSize(2);
    assertThat(origin.received(PATH).get(1).header("If-None-Match")).isEqualTo("\"e1\"");
  }

  // RFC 9111 4.2.4 and RFC 5861: stale copies when the origin fails; the offline mode

  @Test
  void originAnswers503_staleCopyServedAndMarked() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));
    get(PATH);
    origin.answer(PATH, new Answer(503, "down for maintenance"));
    clock.advance(Duration.ofSeconds(61));

    Response stale = get(PATH);

    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.text()).isEqualTo("edition one");
    assertThat(stale.header("Cache-Status")).isEqualTo("edge; fwd=stale; fwd-status=503; ttl=-1; detail=origin-error");
    assertThat(stale.header("Age")).isEqualTo("61");
  }

  @Test
  void mustRevalidate_originAnswers503_errorPassedThroughNotStale() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60, must-revalidate"));
    get(PATH);
    origin.answer(PATH, new Answer(503, "down for maintenance"));
    clock.advance(Duration.ofSeconds(61));

    Response error = get(PATH);

    assertThat(error.status()).isEqualTo(503);
    assertThat(error.text()).isEqualTo("down for maintenance");
  }

  @Test
  void staleIfError_longerThanTheOfflineWindow_honouredThenExpires() throws Exception {
    startGateway("cache: { max-stale-on-error: 0s }");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60, stale-if-error=30"));
    get(PATH);
    origin.answer(PATH, new Answer(500, "broken"));

    clock.advance(Duration.ofSeconds(80));
    Response withinStaleIfError = get(PATH);
    clock.advance(Duration.ofSeconds(20));
    Response beyond = get(PATH);

    assertThat(withinStaleIfError.text()).isEqualTo("edition one");
    assertThat(beyond.status()).isEqualTo(500);
  }

  @Test
  void originUnreachable_storedObjectsServedStale_othersGet502_thenFreshWhenItReturns() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));
    get(PATH);
    int port = origin.port();
    origin.close();
    clock.advance(Duration.ofSeconds(61));

    Response stale = get(PATH);
    Response uncached = get("/books/semantics/never-fetched.json");
    // Known down now: served at once, without asking the origin (which is probed in the background).
    Response offline = get(PATH);
    origin = ScriptedOrigin.start(port, clock).answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> get(PATH).header("Cache-Status").startsWith("edge; fwd=stale; fwd-status=304"));
    Response fresh = get(PATH);

    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.text()).isEqualTo("edition one");
    assertThat(stale.header("Cache-Status")).startsWith("edge; fwd=stale").contains("ttl=-1");
    assertThat(uncached.status()).isIn(502, 504);
    assertThat(offline.header("Cache-Status")).startsWith("edge; fwd=stale; ttl=-1").endsWith("detail=offline");
    assertThat(gateway.router().routes().get(0).origin().health().up()).isTrue();
    assertThat(fresh.header("Cache-Status")).startsWith("edge; hit");
  }
}
