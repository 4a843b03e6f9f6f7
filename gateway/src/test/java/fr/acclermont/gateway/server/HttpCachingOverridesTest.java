package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The operator's per-path overrides ({@code cache.overrides}) at socket level, against a scripted
 * origin dated with the test's clock: {@code offline: true} serving a no-cache copy stale when the
 * origin errs, and {@code fresh-for} lengthening a lifetime but never sharing private content.
 */
class HttpCachingOverridesTest extends HttpCachingFixture {

  @Test
  void noCacheManifest_onAnOfflineOverridePath_servedStaleOnError() throws Exception {
    startGateway("cache: { overrides: [ { path: /books/, offline: true } ] }");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "no-cache"));
    get(PATH);
    origin.answer(PATH, new Answer(502, "bad gateway upstream"));

    Response stale = get(PATH);

    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.text()).isEqualTo("edition one");
    assertThat(stale.header("Cache-Status")).startsWith("edge; fwd=stale; fwd-status=502");
  }

  @Test
  void freshForOverride_lengthensTheOriginsLifetime() throws Exception {
    startGateway("cache: { overrides: [ { path: /books/semantics/, fresh-for: 30d } ] }");
    origin.answer(PATH, manifest("edition one", "\"e1\"", "max-age=60"));
    get(PATH);
    clock.advance(Duration.ofDays(29));

    Response hit = get(PATH);

    assertThat(hit.header("Cache-Status")).isEqualTo("edge; hit; ttl=" + Duration.ofDays(1).toSeconds());
    assertThat(origin.received(PATH)).hasSize(1);
  }

  @Test
  void freshForOverride_neverSharesPrivateContent() throws Exception {
    startGateway("cache: { overrides: [ { path: /books/, fresh-for: 30d } ] }");
    origin.answer(PATH, manifest("my marks", "\"e1\"", "private, max-age=600"));
    get(PATH);

    Response second = get(PATH);

    assertThat(second.header("Cache-Status")).doesNotContain("hit");
    assertThat(origin.received(PATH).size()).isGreaterThanOrEqualTo(2);
  }
}
