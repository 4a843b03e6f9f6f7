package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import io.netty.handler.codec.DateFormatter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * At socket level: targeted cache control fields (RFC 9213), responses to requests with
 * {@code Authorization} (RFC 9111 3.5) and statuses other than 200 stored with their bodies
 * (RFC 9110 15.1, RFC 9111 4.2.2). The rules row by row are in {@code CachingRulesTableTest}.
 */
class TargetedCachingTest extends HttpCachingFixture {

  // RFC 9213: targeted fields

  @Test
  void cdnCacheControlMaxAge_overridesCacheControlNoStore_storedAndServedAsHit_fieldsForwardedUnchanged()
      throws Exception {
    startGateway("");
    origin.answer(PATH, new Answer(200, "edition one", "Cache-Control", "no-store",
        "CDN-Cache-Control", "max-age=60, stale-if-error=30"));

    Response first = get(PATH);
    Response hit = get(PATH);

    assertThat(first.header("Cache-Status")).isEqualTo(STORED);
    assertThat(hit.header("Cache-Status")).isEqualTo("edge; hit; ttl=60");
    assertThat(hit.text()).isEqualTo("edition one");
    for (Response response : new Response[] {first, hit}) {
      assertThat(response.header("CDN-Cache-Control")).as("RFC 9213: forwarded unchanged")
          .isEqualTo("max-age=60, stale-if-error=30");
      assertThat(response.header("Cache-Control")).as("for the caches downstream").isEqualTo("no-store");
    }
    assertThat(origin.received(PATH)).hasSize(1);
  }

  @Test
  void configuredTargetedField_winsOverCdnCacheControl() throws Exception {
    startGateway("cache: { targeted-cache-control: School-Cache-Control }");
    origin.answer(PATH, new Answer(200, "edition one", "School-Cache-Control", "max-age=60",
        "CDN-Cache-Control", "no-store"));

    get(PATH);
    Response hit = get(PATH);

    assertThat(hit.header("Cache-Status")).isEqualTo("edge; hit; ttl=60");
    assertThat(hit.header("School-Cache-Control")).isEqualTo("max-age=60");
    assertThat(origin.received(PATH)).hasSize(1);
  }

  // RFC 9111 3.5: requests with Authorization

  @Test
  void authorizationRequest_withoutPublic_notStored_everyRequestReachesTheOrigin() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("alice's edition", "\"e1\"", "max-age=60"));

    Response first = get(PATH, "Authorization: Bearer alice");
    Response second = get(PATH, "Authorization: Bearer alice");
    Response anonymous = get(PATH);
    Response anonymousAgain = get(PATH);
    Response third = get(PATH, "Authorization: Bearer alice");

    assertThat(first.header("Cache-Status")).doesNotContain("stored").doesNotContain("hit");
    assertThat(second.header("Cache-Status")).doesNotContain("stored").doesNotContain("hit");
    assertThat(anonymous.header("Cache-Status")).as("the anonymous answer is stored, never alice's")
        .isEqualTo(STORED);
    assertThat(anonymousAgain.header("Cache-Status")).isEqualTo("edge; hit; ttl=60");
    assertThat(third.header("Cache-Status")).as("a stored anonymous answer serves a request with credentials")
        .isEqualTo("edge; hit; ttl=60");
    // The first: a probe, not stored, then its own pass-through; the second passes at once (the
    // URL's answers with credentials are remembered as unshareable, its others are not); the
    // anonymous one: a probe, stored.
    assertThat(origin.received(PATH)).hasSize(4);
    assertThat(origin.received(PATH).get(0).header("Authorization")).isEqualTo("Bearer alice");
    assertThat(origin.received(PATH).get(2).header("Authorization")).isEqualTo("Bearer alice");
  }

  @Test
  void authorizationRequest_withPublic_storedAndSharedWithRequestsWithoutCredentials() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("the public edition", "\"e1\"", "public, max-age=60"));

    Response first = get(PATH, "Authorization: Bearer alice");
    Response anonymous = get(PATH);

    assertThat(first.header("Cache-Status")).isEqualTo(STORED);
    assertThat(anonymous.header("Cache-Status")).isEqualTo("edge; hit; ttl=60");
    assertThat(anonymous.text()).isEqualTo("the public edition");
    assertThat(origin.received(PATH)).hasSize(1);
  }

  // RFC 9110 15.1, RFC 9111 4.2.2: a heuristically cacheable status other than 200, with its body

  @Test
  void notFoundWithBody_heuristicFreshness_storedAndServedAsHitWithIdenticalBytes() throws Exception {
    startGateway("");
    String body = "<h1>Livre introuvable</h1><p>Ce manuel n'existe pas (ou plus) : vérifiez l'adresse.</p>";
    String tenDaysAgo = DateFormatter.format(new Date(clock.millis() - Duration.ofDays(10).toMillis()));
    origin.answer(PATH, new Answer(404, body, "Content-Type", "text/html; charset=utf-8", "Last-Modified", tenDaysAgo));

    Response miss = get(PATH);
    Response hit = get(PATH);

    assertThat(miss.status()).isEqualTo(404);
    assertThat(miss.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=404; stored");
    assertThat(hit.status()).isEqualTo(404);
    assertThat(hit.header("Cache-Status")).isEqualTo("edge; hit; ttl=" + Duration.ofDays(1).toSeconds());
    assertThat(hit.body()).isEqualTo(miss.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertThat(hit.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(origin.received(PATH)).hasSize(1);
  }
}
