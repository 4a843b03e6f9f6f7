package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The technician's status page and its JSON twin against known traffic: exact counts of what was
 * served, what crossed the uplink and what was saved, the books read, the tiers, the origins, the
 * warnings; the login a browser needs when the admin port has a token; the history kept across a
 * restart.
 */
class StatusPageTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "a-technician-token-0123456789";
  private static final int KIB64 = 64 * 1024;

  @TempDir
  Path dir;
  private DemoOrigin origin;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    gateway = startGateway();
  }

  private Gateway startGateway() {
    return TestGateways.start(origin.baseUri(), """
        admin: { token-file: "%s" }
        cache: { disk: { path: "%s", max-bytes: 1GiB } }
        """.formatted(dir.resolve("admin.token"), dir.resolve("cache")), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    gateway.close();
    origin.close();
  }

  private Response get(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target, headers).read();
    }
  }

  private Response admin(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.adminPort())) {
      return client.get(target, headers).read();
    }
  }

  private Response adminPost(String target, String form, String... headers) throws Exception {
    StringBuilder raw = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
    for (String header : headers) {
      raw.append(header).append("\r\n");
    }
    raw.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(form.length())
        .append("\r\n\r\n").append(form);
    try (TestHttpClient client = TestHttpClient.connect(gateway.adminPort())) {
      return client.sendRaw(raw.toString()).read();
    }
  }

  private JsonNode status() throws Exception {
    Response response = admin("/status.json", "Authorization: Bearer " + TOKEN);
    assertThat(response.status()).isEqualTo(200);
    return JSON.readTree(response.text());
  }

  @Test
  void knownTraffic_exactCountsOfServedUplinkSavedAndBooks() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(get("/blobs/64KiB/status-page").status()).isEqualTo(200); // a miss, then two hits
    }
    Response manifest = get("/books/maths-6e/manifest.json");
    long manifestBytes = manifest.body().length;
    // A request is counted once its last byte is written, which the client may see first.
    await().atMost(Duration.ofSeconds(5)).until(() -> status().path("today").path("requests").asLong() == 4);

    JsonNode today = status().path("today");
    assertThat(today.path("servedBytes").asLong()).isEqualTo(3L * KIB64 + manifestBytes);
    assertThat(today.path("uplinkBytes").asLong()).isEqualTo(KIB64 + manifestBytes);
    assertThat(today.path("savedBytes").asLong()).isEqualTo(2L * KIB64);
    assertThat(today.path("hits").asLong()).isEqualTo(2);
    assertThat(today.path("requestHitRatio").asDouble()).isEqualTo(0.5);
    JsonNode json = status();
    assertThat(json.path("last7Days")).isEqualTo(today);
    assertThat(json.path("hours")).hasSize(24);
    assertThat(json.path("hours").get(23).path("servedBytes").asLong()).isEqualTo(3L * KIB64 + manifestBytes);
    assertThat(json.path("topBooks").get(0).path("prefix").asText()).isEqualTo("/blobs/64KiB/");
    assertThat(json.path("topBooks").get(0).path("bytes").asLong()).isEqualTo(3L * KIB64);
    assertThat(json.path("topBooks").get(1).path("prefix").asText()).isEqualTo("/books/maths-6e/");
    assertThat(json.path("topBooks").get(1).path("bytes").asLong()).isEqualTo(manifestBytes);
    assertThat(json.path("origins").get(0).path("name").asText()).isEqualTo("cloud");
    assertThat(json.path("origins").get(0).path("up").asBoolean()).isTrue();
    assertThat(json.path("tiers").path("memory").path("bytes").asLong()).isGreaterThanOrEqualTo(KIB64);
    assertThat(json.path("tiers").path("disk").path("maxBytes").asLong()).isEqualTo(1L << 30);
    assertThat(json.path("prefetch").isNull()).isTrue();
  }

  @Test
  void page_inFrenchByDefault_inEnglishOnRequest() throws Exception {
    get("/blobs/64KiB/status-page-html");
    String auth = "Authorization: Bearer " + TOKEN;

    Response french = admin("/", auth);
    Response english = admin("/?lang=en", auth);
    Response accepted = admin("/", auth, "Accept-Language: en-GB,en;q=0.9");

    assertThat(french.status()).isEqualTo(200);
    assertThat(french.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(french.text()).contains("<html lang=\"fr\"", "Ce que la passerelle économise", "<svg",
        "/blobs/64KiB/", "action=\"/purge\"", "cloud").doesNotContain("<script", "src=", "href=\"http", "@import", "url(");
    assertThat(english.text()).contains("<html lang=\"en\"", "What the gateway saves", "Empty a book from the cache");
    assertThat(accepted.text()).contains("What the gateway saves");
  }

  @Test
  void withoutToken_loginForm_thenCookieOpensPageAndPurge() throws Exception {
    Response refused = admin("/");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.text()).contains("action=\"/login\"");
    assertThat(admin("/status.json").status()).isEqualTo(401);
    assertThat(adminPost("/login", "token=wrong-token-0123456789").status()).isEqualTo(401);

    Response login = adminPost("/login", "token=" + TOKEN);

    assertThat(login.status()).isEqualTo(303);
    assertThat(login.header("Location")).isEqualTo("/");
    String setCookie = login.header("Set-Cookie");
    assertThat(setCookie).startsWith("gateway_admin=" + TOKEN + ";").contains("HttpOnly", "SameSite=Strict");
    String cookie = "Cookie: " + setCookie.substring(0, setCookie.indexOf(';'));
    assertThat(admin("/", cookie).status()).isEqualTo(200);
    get("/blobs/64KiB/purged-from-the-page");
    Response purged = adminPost("/purge", "prefix=/blobs/64KiB/purged-from", cookie);
    assertThat(purged.status()).isEqualTo(200);
    assertThat(purged.text()).contains("\"objects\":1");
    assertThat(adminPost("/purge", "prefix=/blobs/", "Cookie: gateway_admin=not-the-token-at-all").status())
        .isEqualTo(401);
  }

  @Test
  void prefetch_stateAndProgressShown_afterPrefetchNow() throws Exception {
    gateway.close();
    Path list = Files.writeString(dir.resolve("tonight.txt"), "/blobs/64KiB/prefetched-a\n/blobs/64KiB/prefetched-b\n");
    gateway = TestGateways.start(origin.baseUri(), """
        prefetch: { lists: ["%s"] }
        """.formatted(list), Clock.systemUTC());
    assertThat(JSON.readTree(admin("/status.json").text()).path("prefetch").path("state").asText()).isEqualTo("idle");

    try (TestHttpClient client = TestHttpClient.connect(gateway.adminPort())) {
      assertThat(client.request("POST", "/prefetch", "Content-Length: 0").read().status()).isEqualTo(202);
    }
    await().atMost(Duration.ofSeconds(20)).until(() ->
        JSON.readTree(admin("/status.json").text()).path("prefetch").path("state").asText().equals("done"));

    JsonNode prefetch = JSON.readTree(admin("/status.json").text()).path("prefetch");
    assertThat(prefetch.path("objectsDone").asLong()).isEqualTo(2);
    assertThat(prefetch.path("objectsTotal").asLong()).isEqualTo(2);
    assertThat(prefetch.path("bytes").asLong()).isEqualTo(2L * KIB64);
    assertThat(prefetch.path("lastCompleted").asLong()).isPositive();
    assertThat(admin("/").text()).contains("terminé", "2 / 2 objets", "Précharger maintenant", "action=\"/prefetch\"");
    assertThat(admin("/?lang=en").text()).contains("<b>done</b>", "Prefetch now");
  }

  @Test
  void warnings_lastOnesShown() throws Exception {
    assertThat(get("/down/unreachable").status()).isEqualTo(502);

    await().atMost(Duration.ofSeconds(5)).until(() -> status().path("warnings").size() > 0);
    JsonNode warning = status().path("warnings").get(0);
    assertThat(warning.path("level").asText()).isEqualTo("WARN");
    assertThat(warning.path("message").asText()).isNotBlank();
  }

  @Test
  void restart_historyKept() throws Exception {
    get("/blobs/64KiB/before-restart");
    await().atMost(Duration.ofSeconds(5)).until(() -> status().path("today").path("requests").asLong() == 1);
    gateway.close();

    gateway = startGateway();

    JsonNode today = status().path("today");
    assertThat(today.path("servedBytes").asLong()).isEqualTo(KIB64);
    assertThat(today.path("uplinkBytes").asLong()).isEqualTo(KIB64);
    assertThat(today.path("requests").asLong()).isEqualTo(1);
  }
}
