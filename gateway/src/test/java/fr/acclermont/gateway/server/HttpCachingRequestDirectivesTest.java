package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request's {@code Cache-Control} directives at socket level (RFC 9111 5.2.1: {@code max-stale},
 * {@code only-if-cached}, {@code no-store}), and the stored header fields freshened by a 304 (4.3.4)
 * and by a HEAD (4.3.5), against an origin scripted and dated with the test's clock. The rules
 * themselves, one row each, are in {@code CachingRulesTableTest}.
 */
class HttpCachingRequestDirectivesTest extends HttpCachingFixture {

  private static final String ONLY_IF_CACHED = "Cache-Control: only-if-cached";

  Response head(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.request("HEAD", target, headers).readHead();
    }
  }

  @Test
  void maxStale_staleCopyServedWithoutContactingTheOrigin() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));
    get(PATH);
    clock.advance(Duration.ofSeconds(120));

    Response stale = get(PATH, "Cache-Control: max-stale=90");
    Response tooStale = get(PATH, "Cache-Control: max-stale=30");

    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.text()).isEqualTo("edition one");
    assertThat(stale.header("Cache-Status")).isEqualTo("edge; hit; ttl=-60; detail=max-stale");
    assertThat(tooStale.header("Cache-Status")).as("60 s stale, beyond max-stale=30: revalidated")
        .isEqualTo("edge; fwd=stale; fwd-status=304");
    assertThat(origin.received(PATH)).hasSize(2);
  }

  @Test
  void maxStale_mustRevalidateCopy_neverServedStale() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60, must-revalidate"));
    get(PATH);
    clock.advance(Duration.ofSeconds(120));

    Response response = get(PATH, "Cache-Control: max-stale");

    assertThat(response.header("Cache-Status")).isEqualTo("edge; fwd=stale; fwd-status=304");
    assertThat(origin.received(PATH)).hasSize(2);
  }

  @Test
  void onlyIfCached_notHeld_504WithoutAnOriginRequest_heldAHit() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));

    Response notHeld = get(PATH, ONLY_IF_CACHED);
    get(PATH);
    Response held = get(PATH, ONLY_IF_CACHED);
    clock.advance(Duration.ofSeconds(120));
    Response stale = get(PATH, ONLY_IF_CACHED);
    Response staleAccepted = get(PATH, ONLY_IF_CACHED, "Cache-Control: max-stale");

    assertThat(notHeld.status()).isEqualTo(504);
    assertThat(notHeld.header("Cache-Status")).isEqualTo("edge; detail=only-if-cached");
    assertThat(held.status()).isEqualTo(200);
    assertThat(held.text()).isEqualTo("edition one");
    assertThat(held.header("Cache-Status")).isEqualTo("edge; hit; ttl=60");
    assertThat(stale.status()).as("stale, and the client accepts no staleness").isEqualTo(504);
    assertThat(staleAccepted.status()).isEqualTo(200);
    assertThat(staleAccepted.header("Cache-Status")).isEqualTo("edge; hit; ttl=-60; detail=max-stale");
    assertThat(origin.received(PATH)).as("only the plain GET reached the origin").hasSize(1);
  }

  @Test
  void requestNoStore_responseNotStored_butAStoredOneMayAnswerIt() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));

    Response passed = get(PATH, "Cache-Control: no-store");
    Response afterwards = get(PATH, ONLY_IF_CACHED);
    get(PATH);
    Response fromStore = get(PATH, "Cache-Control: no-store");

    assertThat(passed.status()).isEqualTo(200);
    assertThat(passed.header("Cache-Status")).isEqualTo("edge; fwd=bypass; fwd-status=200");
    assertThat(afterwards.status()).as("nothing of the no-store exchange was stored").isEqualTo(504);
    assertThat(fromStore.text()).isEqualTo("edition one");
    assertThat(fromStore.header("Cache-Status")).isEqualTo("edge; hit; ttl=60");
    assertThat(origin.received(PATH)).hasSize(2);
  }

  @Test
  void notModified_replacesStoredFields_seenOnTheNextHit() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60", "X-Book-Version", "1"));
    get(PATH);
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=600", "X-Book-Version", "2"));
    clock.advance(Duration.ofSeconds(61));

    Response revalidated = get(PATH);
    clock.advance(Duration.ofSeconds(100));
    Response hit = get(PATH);

    assertThat(revalidated.header("Cache-Status")).isEqualTo(REVALIDATED);
    assertThat(hit.header("Cache-Status")).as("the 304's max-age=600 replaced max-age=60")
        .isEqualTo("edge; hit; ttl=500");
    assertThat(hit.header("X-Book-Version")).isEqualTo("2");
    assertThat(hit.header("Cache-Control")).isEqualTo("max-age=600");
    assertThat(hit.text()).isEqualTo("edition one");
    assertThat(origin.received(PATH)).hasSize(2);
  }

  @Test
  void head_sameRepresentation_freshensTheStoredHeaders() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60", "X-Book-Version", "1"));
    get(PATH);
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=600", "X-Book-Version", "2"));
    clock.advance(Duration.ofSeconds(61));

    Response headResponse = head(PATH);
    Response hit = get(PATH);

    assertThat(headResponse.status()).isEqualTo(200);
    assertThat(headResponse.header("X-Book-Version")).isEqualTo("2");
    assertThat(origin.received(PATH)).extracting(r -> r.method()).containsExactly("GET", "HEAD");
    assertThat(hit.header("Cache-Status")).as("RFC 9111 4.3.5: freshened by the HEAD's 200")
        .isEqualTo("edge; hit; ttl=600");
    assertThat(hit.header("X-Book-Version")).isEqualTo("2");
    assertThat(hit.text()).isEqualTo("edition one");
  }

  @Test
  void head_anotherRepresentation_storedCopyStale_revalidatedNext() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=600"));
    get(PATH);
    origin.answer(PATH, manifest("edition two", "\"e2\"", "max-age=600"));
    clock.advance(Duration.ofSeconds(10)); // past cache.reload-revalidate-interval: the reload reaches the origin

    head(PATH, "Cache-Control: no-cache");
    Response next = get(PATH);

    assertThat(next.text()).isEqualTo("edition two");
    assertThat(next.header("Cache-Status")).isEqualTo("edge; fwd=stale; fwd-status=200; stored");
    assertThat(origin.received(PATH)).extracting(r -> r.method()).containsExactly("GET", "HEAD", "GET");
  }
}
