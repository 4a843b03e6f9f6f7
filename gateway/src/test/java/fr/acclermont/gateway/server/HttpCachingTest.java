package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import io.netty.handler.codec.DateFormatter;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of a shared HTTP cache at socket level (RFC 9111), against an origin whose answers each
 * test scripts and dates with the test's clock: revalidation with 304, heuristic freshness and the
 * statuses cacheable by default, the reload policy, and Vary. Stale copies and the offline mode are
 * in {@link HttpCachingStaleTest}, the operator's per-path overrides in
 * {@link HttpCachingOverridesTest}.
 */
class HttpCachingTest extends HttpCachingFixture {

  // RFC 9111 4.3: validation

  @Test
  void staleObject_304_refreshesStoredHeadersWithoutFetchingTheBody() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60", "X-Edition", "1"));
    assertThat(get(PATH).header("Cache-Status")).isEqualTo(STORED);
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60", "X-Edition", "1b"));
    clock.advance(Duration.ofSeconds(61));

    Response revalidated = get(PATH);
    Response after = get(PATH);

    assertThat(revalidated.status()).isEqualTo(200);
    assertThat(revalidated.text()).isEqualTo("edition one");
    assertThat(revalidated.header("Cache-Status")).isEqualTo(REVALIDATED);
    assertThat(revalidated.header("X-Edition")).as("RFC 9111 4.3.4: the 304's fields replace the stored ones")
        .isEqualTo("1b");
    assertThat(after.header("Cache-Status")).as("fresh again after the 304").isEqualTo("edge; hit; ttl=60");
    List<ScriptedOrigin.Received> received = origin.received(PATH);
    assertThat(received).hasSize(2);
    assertThat(received.get(1).header("If-None-Match")).isEqualTo("\"e1\"");
  }

  @Test
  void staleObject_changedAtOrigin_200ReplacesIt() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));
    get(PATH);
    origin.answer(PATH, manifest("edition two", "\"e2\"", "max-age=60"));
    clock.advance(Duration.ofSeconds(61));

    Response changed = get(PATH);
    Response after = get(PATH);

    assertThat(changed.text()).isEqualTo("edition two");
    assertThat(changed.header("Cache-Status")).isEqualTo("edge; fwd=stale; fwd-status=200; stored");
    assertThat(after.text()).isEqualTo("edition two");
    assertThat(after.header("Cache-Status")).startsWith("edge; hit");
  }

  @Test
  void thirtyFiveClients_staleObject_oneConditionalRequest() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));
    get(PATH);
    clock.advance(Duration.ofSeconds(61));

    List<Response> responses;
    try (Classroom classroom = new Classroom(35, Duration.ofSeconds(20))) {
      responses = classroom.together(gateway.port(), 35, (id, client) -> client.get(PATH).read());
    }

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.text()).isEqualTo("edition one");
      assertThat(r.header("Cache-Status")).isIn(REVALIDATED, REVALIDATED + "; collapsed", "edge; hit; ttl=60");
    });
    assertThat(origin.received(PATH)).hasSize(2);
  }

  @Test
  void noCacheResponse_storedAndRevalidatedEveryTime() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "no-cache"));

    Response first = get(PATH);
    Response second = get(PATH);

    assertThat(first.header("Cache-Status")).isEqualTo(STORED);
    assertThat(second.header("Cache-Status")).isEqualTo(REVALIDATED);
    assertThat(second.text()).isEqualTo("edition one");
    assertThat(origin.received(PATH)).hasSize(2);
  }

  @Test
  void clientConditional_onStoredObject_304FromTheCache() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));
    get(PATH);

    Response notModified = get(PATH, "If-None-Match: \"e1\"");

    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.header("ETag")).isEqualTo("\"e1\"");
    assertThat(origin.received(PATH)).hasSize(1);
  }

  // RFC 9111 4.2.2: heuristic freshness; RFC 9110 15.1: statuses cacheable by default

  @Test
  void lastModifiedWithoutLifetime_heuristicTenthOfItsAge() throws Exception {
    startGateway("");
    String fiveDaysAgo = DateFormatter.format(new Date(clock.millis() - Duration.ofDays(5).toMillis()));
    origin.answer(PATH, new Answer(200, "edition one", "Last-Modified", fiveDaysAgo));
    get(PATH);

    Response hit = get(PATH);

    assertThat(hit.header("Cache-Status")).isEqualTo("edge; hit; ttl=" + Duration.ofHours(12).toSeconds());
    assertThat(origin.received(PATH)).hasSize(1);
  }

  @Test
  void notFoundWithMaxAge_storedAndServedWithItsStatus() throws Exception {
    startGateway("");
    origin.answer(PATH, new Answer(404, "no such book", "Cache-Control", "max-age=60"));
    get(PATH);

    Response hit = get(PATH);

    assertThat(hit.status()).isEqualTo(404);
    assertThat(hit.text()).isEqualTo("no such book");
    assertThat(hit.header("Cache-Status")).startsWith("edge; hit");
    assertThat(origin.received(PATH)).hasSize(1);
  }

  @Test
  void temporaryRedirectWithoutLifetime_notStored() throws Exception {
    startGateway("");
    origin.answer(PATH, new Answer(307, "", "Location", "/books/elsewhere"));
    get(PATH);

    Response second = get(PATH);

    assertThat(second.status()).isEqualTo(307);
    assertThat(second.header("Cache-Status")).doesNotContain("hit");
  }

  // A class pressing reload (Cache-Control: no-cache from the client)

  @Test
  void reload_withinTheInterval_servedFromCache_thenOneCoalescedRevalidation() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=600"));
    get(PATH);

    Response early = get(PATH, "Cache-Control: no-cache");
    clock.advance(Duration.ofSeconds(6));
    List<Response> reloads;
    try (Classroom classroom = new Classroom(35, Duration.ofSeconds(20))) {
      reloads = classroom.together(gateway.port(), 35,
          (id, client) -> client.get(PATH, "Cache-Control: max-age=0").read());
    }

    assertThat(early.header("Cache-Status")).startsWith("edge; hit");
    assertThat(reloads).allSatisfy(r -> {
      assertThat(r.text()).isEqualTo("edition one");
      assertThat(r.header("Cache-Status")).isIn("edge; fwd=request; fwd-status=304",
          "edge; fwd=request; fwd-status=304; collapsed", "edge; hit; ttl=600");
    });
    assertThat(origin.received(PATH)).as("one revalidation for the 35 reloads").hasSize(2);
  }

  // RFC 9111 4.1: Vary

  /** A manifest in the language the request accepts, as a publisher's server negotiates it. */
  private static Answer byLanguage(ScriptedOrigin.Received request) {
    String language = request.header("Accept-Language");
    return manifest("fr".equals(language) ? "bonjour" : "hello", "\"" + language + "\"", "max-age=600",
        "Vary", "Accept-Language");
  }

  @Test
  void vary_eachVariantStoredUnderItsOwnKey_fromTheFirstAnswerThatTeachesIt() throws Exception {
    startGateway("");
    origin.answer(PATH, HttpCachingTest::byLanguage);

    Response storedFr = get(PATH, "Accept-Language: fr"); // teaches the Vary, stored under its variant at once
    Response storedEn = get(PATH, "Accept-Language: en");
    Response hitFr = get(PATH, "Accept-Language: fr");
    Response hitEn = get(PATH, "Accept-Language: en");

    assertThat(storedFr.text()).isEqualTo("bonjour");
    assertThat(storedFr.header("Cache-Status")).isEqualTo(STORED);
    assertThat(storedEn.text()).isEqualTo("hello");
    assertThat(storedEn.header("Cache-Status")).isEqualTo(STORED);
    assertThat(hitFr.text()).isEqualTo("bonjour");
    assertThat(hitFr.header("Cache-Status")).startsWith("edge; hit");
    assertThat(hitFr.header("Vary")).isEqualTo("Accept-Language");
    assertThat(hitEn.text()).isEqualTo("hello");
    assertThat(hitEn.header("Cache-Status")).startsWith("edge; hit");
    assertThat(origin.received(PATH)).as("one request per variant").hasSize(2);
  }

  @Test
  void varyAcceptEncoding_equivalentListsShareAVariant_refusedCodingsDoNot() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("gzip-or-br", "\"e1\"", "max-age=600", "Vary", "Accept-Encoding"));
    get(PATH, "Accept-Encoding: gzip, br");
    get(PATH, "Accept-Encoding: gzip, br");
    int before = origin.received(PATH).size();

    Response same = get(PATH, "Accept-Encoding: BR;q=1.0,gzip");
    Response other = get(PATH, "Accept-Encoding: gzip;q=0, br");

    assertThat(same.header("Cache-Status")).startsWith("edge; hit");
    assertThat(other.header("Cache-Status")).doesNotContain("hit");
    assertThat(origin.received(PATH)).hasSize(before + 1);
  }

  @Test
  void varyStar_neverServedFromTheCache() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=600", "Vary", "*"));
    get(PATH);

    Response second = get(PATH);
    Response third = get(PATH);

    assertThat(second.header("Cache-Status")).doesNotContain("hit");
    assertThat(third.header("Cache-Status")).doesNotContain("hit");
    assertThat(third.text()).isEqualTo("edition one");
  }

  @Test
  void unsafeMethod_invalidatesEveryVariantOfItsUrl() throws Exception {
    startGateway("");
    origin.answer(PATH, HttpCachingTest::byLanguage);
    get(PATH, "Accept-Language: fr");
    get(PATH, "Accept-Language: fr");
    get(PATH, "Accept-Language: en");
    assertThat(get(PATH, "Accept-Language: en").header("Cache-Status")).startsWith("edge; hit");

    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      assertThat(client.request("DELETE", PATH).read().status()).isEqualTo(200);
    }
    Response fr = get(PATH, "Accept-Language: fr");
    Response en = get(PATH, "Accept-Language: en");

    assertThat(fr.header("Cache-Status")).doesNotContain("hit");
    assertThat(en.header("Cache-Status")).doesNotContain("hit");
  }
}
