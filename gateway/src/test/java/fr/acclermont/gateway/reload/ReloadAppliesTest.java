package fr.acclermont.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.metrics.ReloadMeters.Result;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.security.SignedUrls;
import fr.acclermont.gateway.testing.HeldOrigin;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import fr.acclermont.gateway.testing.TestSecrets;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reload applies live, observed on the wire: each test starts a real gateway from a file,
 * rewrites the file, reloads ({@link Gateway#reload}) and checks that what starts after the
 * reload behaves as the new file says (the access log's file, request limits, signing keys,
 * caching overrides, origin settings, timeouts).
 */
class ReloadAppliesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String K1 = "first-term-secret-0123456789abc";
  private static final String K2 = "second-term-secret-0123456789ab";

  @TempDir
  Path work;

  private HeldOrigin origin;
  private Path file;
  private Gateway gateway;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = HeldOrigin.start();
    file = work.resolve("gateway.yaml");
  }

  @AfterEach
  void stop() throws IOException {
    origin.release();
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  private void start(String extra) throws IOException {
    start(origin.baseUri(), extra, Clock.systemUTC());
  }

  private void start(URI to, String extra, Clock clock) throws IOException {
    write(to, extra);
    gateway = Gateway.start(ConfigLoader.load(file, Map.of()), clock, file, Map.of());
  }

  private void write(URI to, String extra) throws IOException {
    Files.writeString(file, TestGateways.yaml(to, extra));
  }

  /** Rewrites the file with {@code extra} over the template and reloads; the reload must apply. */
  private ReloadOutcome reloadWith(URI to, String extra) throws Exception {
    write(to, extra);
    ReloadOutcome outcome = gateway.reload().get(30, TimeUnit.SECONDS);
    assertThat(outcome.result()).as(outcome.message()).isEqualTo(Result.APPLIED);
    return outcome;
  }

  private Response get(String target, String... headers) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target, headers).read();
    }
  }

  @Test
  void reload_accessLogMoved_linesBeforeInTheOldFile_linesAfterInTheNew_noneLostOrDuplicated() throws Exception {
    Path before = work.resolve("before.log");
    Path after = work.resolve("after.log");
    start(accessLog(before));
    List<String> expectedBefore = new ArrayList<>();
    List<String> expectedAfter = new ArrayList<>();
    try (TestHttpClient kept = TestHttpClient.connect(gateway.port())) {
      for (int i = 0; i < 5; i++) {
        assertThat(get("/blobs/before-" + i).status()).isEqualTo(200);
        expectedBefore.add("/blobs/before-" + i);
      }
      assertThat(kept.get("/blobs/before-kept").read().status()).isEqualTo(200);
      expectedBefore.add("/blobs/before-kept");
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> paths(before).size() >= expectedBefore.size());

      ReloadOutcome outcome = reloadWith(origin.baseUri(), accessLog(after));

      assertThat(outcome.message()).contains("access-log.path");
      assertThat(kept.get("/blobs/after-kept").read().status()).as("a connection kept across the reload")
          .isEqualTo(200);
      expectedAfter.add("/blobs/after-kept");
    }
    for (int i = 0; i < 5; i++) {
      assertThat(get("/blobs/after-" + i).status()).isEqualTo(200);
      expectedAfter.add("/blobs/after-" + i);
    }
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> paths(after).size() >= expectedAfter.size());

    assertThat(paths(before)).containsExactlyInAnyOrderElementsOf(expectedBefore);
    assertThat(paths(after)).containsExactlyInAnyOrderElementsOf(expectedAfter);
  }

  @Test
  void reload_accessLogMovedToAMissingDirectory_refusedInvalid_linesStayInTheOldFile() throws Exception {
    Path before = work.resolve("before.log");
    start(accessLog(before));
    var running = gateway.config();
    write(origin.baseUri(), accessLog(work.resolve("missing").resolve("after.log")) + "\nlimits: { max-headers: 50 }");

    ReloadOutcome outcome = gateway.reload().get(30, TimeUnit.SECONDS);

    assertThat(outcome.result()).isEqualTo(Result.INVALID);
    assertThat(outcome.message()).contains("access-log.path");
    assertThat(gateway.config()).as("nothing applied, the limits neither").isSameAs(running);
    assertThat(get("/blobs/after-refusal").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> paths(before).contains("/blobs/after-refusal"));
    assertThat(work.resolve("missing")).doesNotExist();
  }

  @Test
  void reload_maxRequestLineLowered_newConnection414ForWhatPassedBefore() throws Exception {
    start("");
    String longTarget = "/blobs/" + "a".repeat(1000);
    assertThat(get(longTarget).status()).isEqualTo(200);

    reloadWith(origin.baseUri(), "limits: { max-request-line: 512 }");

    assertThat(get(longTarget).status()).isEqualTo(414);
    assertThat(get("/blobs/short").status()).isEqualTo(200);
    assertThat(origin.received()).containsOnlyOnce(longTarget);
  }

  @Test
  void reload_maxHeaderBytesLowered_newConnection431ForWhatPassedBefore() throws Exception {
    start("");
    String bigHeader = "X-Note: " + "n".repeat(2000);
    assertThat(get("/blobs/big-header-1", bigHeader).status()).isEqualTo(200);

    reloadWith(origin.baseUri(), "limits: { max-header-bytes: 1KiB }");

    assertThat(get("/blobs/big-header-2", bigHeader).status()).isEqualTo(431);
    assertThat(get("/blobs/big-header-3").status()).isEqualTo(200);
    assertThat(origin.received()).doesNotContain("/blobs/big-header-2");
  }

  @Test
  void reload_signingKeyRotated_newKeysLinksServed_oldKeysLinks403() throws Exception {
    start(signedUrl("k1", K1));
    assertThat(get(link("/blobs/a", "k1", K1)).status()).isEqualTo(200);
    assertThat(get(link("/blobs/b", "k2", K2)).status()).as("k2 not configured yet").isEqualTo(403);

    ReloadOutcome outcome = reloadWith(origin.baseUri(), signedUrl("k2", K2));

    assertThat(outcome.message()).contains("entitlement");
    Response newKey = get(link("/blobs/c", "k2", K2));
    Response oldKey = get(link("/blobs/d", "k1", K1));
    assertThat(newKey.status()).isEqualTo(200);
    assertThat(newKey.text()).isEqualTo("ok");
    assertThat(oldKey.status()).isEqualTo(403);
    assertThat(origin.received()).contains("/blobs/a", "/blobs/c").doesNotContain("/blobs/b", "/blobs/d");
  }

  /**
   * An {@code offline: true} override added by a reload applies to the next request, on a copy
   * stored before it: a {@code no-cache} manifest the origin now answers 502 for is served stale,
   * where before the reload the 502 went through.
   */
  @Test
  void reload_offlineOverrideAdded_nextRequestServedStaleOnError() throws Exception {
    MutableClock clock = new MutableClock();
    String path = "/books/semantics/manifest.json";
    try (ScriptedOrigin scripted = ScriptedOrigin.start(0, clock)) {
      scripted.answer(path, new Answer(200, "edition one", "ETag", "\"e1\"", "Cache-Control", "no-cache"));
      start(scripted.baseUri(), "", clock);
      assertThat(get(path).header("Cache-Status")).contains("stored");
      scripted.answer(path, new Answer(502, "bad gateway upstream"));
      assertThat(get(path).status()).as("no override yet: the origin's error goes through").isEqualTo(502);

      reloadWith(scripted.baseUri(), "cache: { overrides: [ { path: /books/, offline: true } ] }");
      Response stale = get(path);

      assertThat(stale.status()).isEqualTo(200);
      assertThat(stale.text()).isEqualTo("edition one");
      assertThat(stale.header("Cache-Status")).startsWith("edge; fwd=stale; fwd-status=502");
      assertThat(scripted.received(path)).hasSize(3);
    }
  }

  /**
   * A {@code fresh-for} override added by a reload sets the lifetime of what is stored after it: 29
   * days after a {@code max-age=60} answer, still a hit. (A copy stored before the reload keeps the
   * lifetime it was stored with until its next revalidation: the lifetime is computed when a
   * response is stored or refreshed, and kept with the copy, on disk too.)
   */
  @Test
  void reload_freshForOverrideAdded_appliesToResponsesStoredAfterIt() throws Exception {
    MutableClock clock = new MutableClock();
    String path = "/books/semantics/manifest.json";
    try (ScriptedOrigin scripted = ScriptedOrigin.start(0, clock)) {
      scripted.answer(path, new Answer(200, "edition one", "ETag", "\"e1\"", "Cache-Control", "max-age=60"));
      start(scripted.baseUri(), "", clock);

      reloadWith(scripted.baseUri(), "cache: { overrides: [ { path: /books/semantics/, fresh-for: 30d } ] }");
      assertThat(get(path).header("Cache-Status")).contains("stored");
      clock.advance(Duration.ofDays(29));
      Response hit = get(path);

      assertThat(hit.status()).isEqualTo(200);
      assertThat(hit.text()).isEqualTo("edition one");
      assertThat(hit.header("Cache-Status")).isEqualTo("edge; hit; ttl=" + Duration.ofDays(1).toSeconds());
      assertThat(scripted.received(path)).hasSize(1);
    }
  }

  /** A copy stored before a {@code fresh-for} override was added takes it at its next revalidation. */
  @Test
  void reload_freshForOverrideAdded_copyStoredBefore_takesItWhenRevalidated() throws Exception {
    MutableClock clock = new MutableClock();
    String path = "/books/semantics/manifest.json";
    try (ScriptedOrigin scripted = ScriptedOrigin.start(0, clock)) {
      scripted.answer(path, new Answer(200, "edition one", "ETag", "\"e1\"", "Cache-Control", "max-age=60"));
      start(scripted.baseUri(), "", clock);
      assertThat(get(path).header("Cache-Status")).contains("stored");

      reloadWith(scripted.baseUri(), "cache: { overrides: [ { path: /books/semantics/, fresh-for: 30d } ] }");
      clock.advance(Duration.ofMinutes(2));
      assertThat(get(path).header("Cache-Status")).startsWith("edge; fwd=stale; fwd-status=304");
      clock.advance(Duration.ofDays(29));
      Response hit = get(path);

      assertThat(hit.text()).isEqualTo("edition one");
      assertThat(hit.header("Cache-Status")).isEqualTo("edge; hit; ttl=" + Duration.ofDays(1).toSeconds());
      assertThat(scripted.received(path)).hasSize(2);
    }
  }

  @Test
  void reload_originIdleConnectionsAndFetchesChanged_sameRoute_keepsServing() throws Exception {
    start("");
    OriginRoute before = gateway.router().named("cloud");
    try (TestHttpClient kept = TestHttpClient.connect(gateway.port())) {
      assertThat(kept.get("/blobs/one").read().text()).isEqualTo("ok");

      ReloadOutcome outcome = reloadWith(origin.baseUri(), """
          origins:
            - name: cloud
              url: %s
              paths: ["/books/", "/blobs/", "/_origin/"]
              connect-timeout: 1s
              response-timeout: 2s
              idle-timeout: 1s
              max-idle-connections: 1
              max-fetches: 2
            - name: down
              url: http://127.0.0.1:1
              paths: ["/down/"]
              connect-timeout: 1s
          """.formatted(origin.baseUri()));

      assertThat(outcome.message()).contains("origins").doesNotContain("new routes").doesNotContain("retired");
      assertThat(gateway.router().named("cloud")).isSameAs(before);
      assertThat(before.config().maxIdleConnections()).isEqualTo(1);
      assertThat(before.config().maxFetches()).isEqualTo(2);
      assertThat(kept.get("/blobs/two").read().text()).isEqualTo("ok");
    }
    assertThat(get("/blobs/three").text()).isEqualTo("ok");
    assertThat(origin.received()).containsExactly("/blobs/one", "/blobs/two", "/blobs/three");
  }

  /**
   * A shorter keep-alive applies to connections accepted after the reload: the idle connection is
   * closed by the gateway (before, 120 s, far beyond the client's 20 s read timeout).
   */
  @Test
  void reload_keepAliveShortened_newConnectionsClosedWhenIdle() throws Exception {
    start("timeouts: { keep-alive: 120s }");

    reloadWith(origin.baseUri(), "timeouts: { keep-alive: 1s }");

    try (TestHttpClient client = TestHttpClient.connect(gateway.port()).timeout(20_000)) {
      assertThat(client.get("/blobs/idle").read().status()).isEqualTo(200);
      assertThat(client.isClosedByPeer()).isTrue();
    }
  }

  private static String accessLog(Path path) {
    return "access-log: { path: \"" + path + "\" }";
  }

  private static String signedUrl(String keyId, String secret) {
    return """
        entitlement:
          rules:
            - paths: ["/blobs/"]
              mode: signed-url
              clock-skew: 0s
              keys:
                - { id: "%s", secret-file: "%s" }
        """.formatted(keyId, TestSecrets.file(secret));
  }

  private static String link(String path, String keyId, String secret) {
    long exp = System.currentTimeMillis() / 1000 + 3600;
    return path + "?" + SignedUrls.sign(path, exp, null, keyId, TestSecrets.bytes(secret));
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  private static List<String> paths(Path file) throws IOException {
    List<String> paths = new ArrayList<>();
    for (String line : lines(file)) {
      paths.add(JSON.readTree(line).get("path").asText());
    }
    return paths;
  }
}
