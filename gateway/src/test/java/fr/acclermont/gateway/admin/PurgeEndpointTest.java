package fr.acclermont.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /purge} on the management port of a gateway with a memory tier only (no token: the
 * port is loopback): by URL every variant goes, by prefix every object under it and nothing
 * else; the answer counts exactly what was dropped; a request naming nothing to purge is a 400, a
 * method other than POST a 405; each purge done is counted and logged. The disk tier's side is
 * {@link PurgeDiskTest}'s, the token's {@link PurgeTokenTest}'s.
 */
class PurgeEndpointTest {

  private static final String STORED = "edge; fwd=miss; fwd-status=200; stored";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AdminHandler.class);

  @BeforeEach
  void captureLogs() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
  }

  private static OriginStats origin() {
    return env.origin().stats();
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Response get(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target, headers).read();
    }
  }

  /** Fetches {@code target} until it is a hit: stored. */
  private static void store(String target, String... headers) throws Exception {
    get(target, headers);
    assertThat(get(target, headers).header("Cache-Status")).startsWith("edge; hit");
  }

  static Response post(int adminPort, String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(adminPort)) {
      return client.request("POST", target, headers).read();
    }
  }

  private static Response purge(String parameter, String value) throws Exception {
    return post(env.gateway().adminPort(), "/purge?" + parameter + "=" + encoded(value));
  }

  private static double purges(String kind) {
    return env.gateway().metrics().registry().get("gateway.purges").tag("kind", kind).counter().count();
  }

  @Test
  void url_everyVariantDropped_nextRequestOfEachIsAMiss() throws Exception {
    String target = "/blobs/4KiB/purge-variants?vary=Accept-Language";
    String path = "/blobs/4KiB/purge-variants";
    store(target, "Accept-Language: fr");
    store(target, "Accept-Language: en");
    long before = origin().requests(path);

    Response answer = purge("url", target);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    assertThat(answer.text()).isEqualTo("{\"objects\":2,\"bytes\":8192}\n");
    Response french = get(target, "Accept-Language: fr");
    assertThat(french.header("Cache-Status")).isEqualTo(STORED);
    assertThat(french.sha256()).isEqualTo(ExpectedContent.sha256(path, 4096));
    assertThat(origin().requests(path)).isEqualTo(before + 1);
    assertThat(get(target, "Accept-Language: en").header("Cache-Status")).isEqualTo(STORED);
    assertThat(origin().requests(path)).isEqualTo(before + 2);
    // Stored again: a hit, as before the purge.
    assertThat(get(target, "Accept-Language: fr").header("Cache-Status")).startsWith("edge; hit");
  }

  @Test
  void url_onlyThatUrl_notItsOtherQueriesNorItsNeighbours() throws Exception {
    String target = "/blobs/1KiB/purge-one?v=1";
    store(target);
    store("/blobs/1KiB/purge-one?v=2");
    store("/blobs/1KiB/purge-one");
    store("/blobs/1KiB/purge-one-more?v=1");

    assertThat(purge("url", target).text()).isEqualTo("{\"objects\":1,\"bytes\":1024}\n");

    assertThat(get(target).header("Cache-Status")).isEqualTo(STORED);
    assertThat(get("/blobs/1KiB/purge-one?v=2").header("Cache-Status")).startsWith("edge; hit");
    assertThat(get("/blobs/1KiB/purge-one").header("Cache-Status")).startsWith("edge; hit");
    assertThat(get("/blobs/1KiB/purge-one-more?v=1").header("Cache-Status")).startsWith("edge; hit");
  }

  @Test
  void url_absoluteUrlOfTheOrigin_routedLikeAClientRequest() throws Exception {
    String path = "/blobs/2KiB/purge-absolute";
    store(path);

    Response answer = purge("url", env.origin().baseUri().resolve(path).toString());

    assertThat(answer.text()).isEqualTo("{\"objects\":1,\"bytes\":2048}\n");
    assertThat(get(path).header("Cache-Status")).isEqualTo(STORED);
  }

  @Test
  void url_nothingStored_zeroAndCounted() throws Exception {
    double before = purges("url");

    assertThat(purge("url", "/blobs/1KiB/never-fetched").text()).isEqualTo("{\"objects\":0,\"bytes\":0}\n");

    assertThat(purges("url")).isEqualTo(before + 1);
  }

  @Test
  void prefix_everyObjectUnderIt_noneOutside() throws Exception {
    store("/blobs/1KiB/prefix-a-1");
    store("/blobs/1KiB/prefix-a-2?x=1");
    store("/blobs/1KiB/prefix-a-2?x=2", "Accept-Language: fr");
    store("/blobs/3KiB/prefix-a-3?vary=Accept-Language", "Accept-Language: fr");
    store("/blobs/3KiB/prefix-a-3?vary=Accept-Language", "Accept-Language: de");
    store("/blobs/1KiB/prefix-b-1");
    store("/blobs/2KiB/prefix-a-1");

    Response answer = purge("prefix", "/blobs/1KiB/prefix-a-");
    Response other = purge("prefix", "/blobs/3KiB/prefix-a-");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo("{\"objects\":3,\"bytes\":3072}\n");
    assertThat(other.text()).isEqualTo("{\"objects\":2,\"bytes\":6144}\n");
    assertThat(get("/blobs/1KiB/prefix-a-1").header("Cache-Status")).isEqualTo(STORED);
    assertThat(get("/blobs/1KiB/prefix-a-2?x=1").header("Cache-Status")).isEqualTo(STORED);
    assertThat(get("/blobs/3KiB/prefix-a-3?vary=Accept-Language", "Accept-Language: de").header("Cache-Status"))
        .isEqualTo(STORED);
    assertThat(get("/blobs/1KiB/prefix-b-1").header("Cache-Status")).startsWith("edge; hit");
    assertThat(get("/blobs/2KiB/prefix-a-1").header("Cache-Status")).startsWith("edge; hit");
  }

  @Test
  void prefix_countedAsPrefix_andLoggedWithTheClient() throws Exception {
    store("/blobs/1KiB/logged-1");
    double urls = purges("url");
    double prefixes = purges("prefix");

    purge("prefix", "/blobs/1KiB/logged-");

    assertThat(purges("prefix")).isEqualTo(prefixes + 1);
    assertThat(purges("url")).isEqualTo(urls);
    assertThat(logs.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.INFO);
      assertThat(event.getFormattedMessage())
          .isEqualTo("purge of prefix /blobs/1KiB/logged- by " + event.getArgumentArray()[1]
              + ": 1 objects, 1024 bytes dropped in " + event.getArgumentArray()[4] + " ms")
          .contains("/127.0.0.1:");
    });
  }

  @Test
  void log_secretsOfTheQueryMasked() throws Exception {
    purge("url", "/blobs/1KiB/purge-logged?access_token=s3cr3t&page=2");

    assertThat(logs.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .startsWith("purge of url cloud:/blobs/1KiB/purge-logged?access_token=***&page=2 by ")
        .doesNotContain("s3cr3t");
  }

  @Test
  void metrics_bothKindsExported() throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      assertThat(client.get("/metrics").read().text())
          .contains("# TYPE gateway_purges_total counter", "gateway_purges_total{kind=\"url\"} ",
              "gateway_purges_total{kind=\"prefix\"} ");
    }
  }

  @Test
  void form_body_likeAnHtmlFormOrCurlData() throws Exception {
    String path = "/blobs/1KiB/purge-form";
    store(path);
    String body = "url=" + encoded(path);

    Response answer;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      answer = client.sendRaw("POST /purge HTTP/1.1\r\nHost: admin\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .read();
    }

    assertThat(answer.text()).isEqualTo("{\"objects\":1,\"bytes\":1024}\n");
    assertThat(get(path).header("Cache-Status")).isEqualTo(STORED);
  }

  @Test
  void pipelined_requestsBehindAPurge_answeredInOrderOnTheSameConnection() throws Exception {
    String path = "/blobs/1KiB/purge-pipelined";
    store(path);

    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      client.sendRaw("POST /purge?url=" + encoded(path) + " HTTP/1.1\r\nHost: admin\r\n\r\n"
          + "GET /healthz HTTP/1.1\r\nHost: admin\r\n\r\n"
          + "POST /purge?url=" + encoded(path) + " HTTP/1.1\r\nHost: admin\r\n\r\n"
          + "GET /healthz HTTP/1.1\r\nHost: admin\r\n\r\n");

      assertThat(client.read().text()).isEqualTo("{\"objects\":1,\"bytes\":1024}\n");
      assertThat(client.read().text()).isEqualTo("ok\n");
      assertThat(client.read().text()).isEqualTo("{\"objects\":0,\"bytes\":0}\n");
      assertThat(client.read().text()).isEqualTo("ok\n");
      // And the connection goes on as usual.
      assertThat(client.get("/healthz").read().status()).isEqualTo(200);
    }
  }

  @Test
  void fetchInFlight_itsAnswerArrivesAfterThePurge_storedAsAnyNewAnswer() throws Exception {
    String target = "/blobs/1KiB/purge-in-flight?delay=1500";
    String path = "/blobs/1KiB/purge-in-flight";
    CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return get(target);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> origin().requests(path) == 1);

    Response answer = purge("url", target);

    assertThat(answer.text()).isEqualTo("{\"objects\":0,\"bytes\":0}\n"); // its head was not there yet
    assertThat(slow.get().header("Cache-Status")).isEqualTo(STORED);
    assertThat(get(target).header("Cache-Status")).startsWith("edge; hit");
    assertThat(origin().requests(path)).isEqualTo(1);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                       | missing url= or prefix=",
      "url=%2Fa&prefix=%2Fb                     | both url= and prefix= given",
      "url=%2Fblobs%2Fa&url=%2Fblobs%2Fb        | url= given 2 times",
      "prefix=%2Fblobs%2F&prefix=%2Fbooks%2F    | prefix= given 2 times",
      "path=%2Fblobs%2Fa                        | unknown parameter path",
      "url=                                     | url= is empty",
      "prefix=                                  | prefix= is empty",
      "url=%zz                                  | the query is not validly URL-encoded",
      "prefix=blobs%2F                          | prefix: must be a path, starting with /",
      "prefix=%2Fnowhere%2F                     | prefix: no configured origin serves paths under it",
      "prefix=%2Fblobs%2Fa%20b                  | prefix: a character a request target cannot hold",
      "url=%2Fnowhere%2Fmanifest.json           | url: no configured origin serves its path",
      "url=http%3A%2F%2Fexample.org%2Fblobs%2Fa | url: its host is not the host of a configured origin",
      "url=%2Fblobs%2Fa%20b.pdf                 | url: a character a request target cannot hold",
      "url=%2Fblobs%2Fa%23top                   | url: fragment in request target",
      "url=blobs%2Fa                            | url: malformed request target",
  })
  void badParameters_400WithWhy_notCounted(String query, String why) throws Exception {
    double urls = purges("url");
    double prefixes = purges("prefix");

    Response answer = post(env.gateway().adminPort(), "/purge?" + query);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(answer.text()).startsWith(why).endsWith("\n");
    assertThat(purges("url")).isEqualTo(urls);
    assertThat(purges("prefix")).isEqualTo(prefixes);
  }

  @Test
  void body_notAForm_400() throws Exception {
    Response answer;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      answer = client.sendRaw("POST /purge?url=%2Fblobs%2Fa HTTP/1.1\r\nHost: admin\r\n"
          + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").read();
    }

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text()).startsWith("a body must be a form");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"GET", "HEAD", "PUT", "DELETE"})
  void otherMethods_405AllowPost(String method) throws Exception {
    String path = "/blobs/1KiB/purge-by-" + method;
    store(path);

    Response answer;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().adminPort())) {
      client.request(method, "/purge?url=" + encoded(path));
      answer = method.equals("HEAD") ? client.readHead() : client.read();
    }

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.header("Allow")).isEqualTo("POST");
    assertThat(get(path).header("Cache-Status")).startsWith("edge; hit");
  }

  @Test
  void otherEndpoints_405_sayWhatIsAllowed() throws Exception {
    Response answer = post(env.gateway().adminPort(), "/metrics");

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.header("Allow")).isEqualTo("GET, HEAD");
  }
}
