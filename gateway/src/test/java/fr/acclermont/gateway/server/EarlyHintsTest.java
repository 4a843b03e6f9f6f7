package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.RawOrigin;
import fr.acclermont.gateway.testing.RawOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code 103 Early Hints} (RFC 8297, RFC 9110 15.2) on the fetch that fills the cache: the probe's
 * interim responses reach the client that caused it, as {@code 103}s written before its final
 * response, all of them, in order; they are never stored, so a later hit has none, and the clients
 * collapsed on that probe get none; an HTTP/1.0 client gets none. The pass-through path relays them
 * too (a POST; an answer that may not be stored). Against an origin that writes exact bytes, read
 * by a raw-socket client.
 */
class EarlyHintsTest {

  private static final String HINTS = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n";
  private static final String MORE_HINTS = "HTTP/1.1 103 Early Hints\r\nLink: </app.js>; rel=preload\r\n\r\n";
  private static final String BODY = "the whole body, exactly";
  private static final String STORABLE = "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: "
      + BODY.length() + "\r\n\r\n" + BODY;

  /** Holds the origin's answer to a {@code held} request until a client is collapsed on its fetch. */
  private static final CountDownLatch release = new CountDownLatch(1);
  /** The targets whose answer the origin holds. */
  private static final Set<String> held = ConcurrentHashMap.newKeySet();
  private static RawOrigin origin;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    origin = RawOrigin.start(EarlyHintsTest::answer);
    gateway = TestGateways.start(origin.baseUri());
  }

  @AfterAll
  static void stop() throws Exception {
    release.countDown();
    gateway.close();
    origin.close();
  }

  /** The origin's script, by the second path segment. */
  private static Answer answer(RawOrigin.Request request) {
    String kind = request.target().split("/")[2];
    return switch (kind) {
      case "several" -> Answer.of(HINTS + MORE_HINTS + STORABLE);
      case "ranged" -> Answer.of(HINTS + "HTTP/1.1 206 Partial Content\r\nCache-Control: max-age=600\r\n"
          + "Content-Range: bytes 0-" + (BODY.length() - 1) + "/" + BODY.length() + "\r\nContent-Length: "
          + BODY.length() + "\r\n\r\n" + BODY);
      case "no-store" -> Answer.of(HINTS + "HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: "
          + BODY.length() + "\r\n\r\n" + BODY);
      case "revalidated" -> Answer.of(HINTS + (request.header("If-None-Match") != null
          ? "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nCache-Control: max-age=0\r\n\r\n"
          : "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nCache-Control: max-age=0\r\nContent-Length: " + BODY.length()
              + "\r\n\r\n" + BODY));
      case "held" -> {
        held.add(request.target());
        awaitRelease(); // until the test has a client collapsed on this fetch
        yield Answer.of(HINTS + STORABLE);
      }
      default -> Answer.of(HINTS + STORABLE);
    };
  }

  private static void awaitRelease() {
    try {
      if (!release.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static TestHttpClient connect() throws Exception {
    return TestHttpClient.connect(gateway.port());
  }

  private static double coalesced() {
    return gateway.metrics().registry().get("gateway.coalesced.requests").counter().count();
  }

  @Test
  void cacheableMiss_hintsRelayedBeforeTheFinalResponse_storedWithoutThem_hitHasNone() throws Exception {
    String path = "/blobs/plain/stored";
    try (TestHttpClient client = connect()) {
      client.get(path);
      Response hints = client.read();
      Response first = client.read();
      Response second = client.get(path).read(); // the very next response is the final one: no 103

      assertThat(hints.status()).isEqualTo(103);
      assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload");
      assertThat(hints.header("Via")).isNotNull();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo(BODY);
      assertThat(first.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
      assertThat(first.header("Link")).isNull(); // the hints were not merged into the final head
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.text()).isEqualTo(BODY);
      assertThat(second.header("Cache-Status")).startsWith("edge; hit");
      assertThat(second.header("Link")).isNull();
    }
    assertThat(origin.received(path)).hasSize(1);
  }

  @Test
  void rangedProbe_206WithHints_hintsRelayedAndWholeObjectStored() throws Exception {
    String path = "/blobs/ranged/object";
    try (TestHttpClient client = connect()) {
      client.get(path);
      Response hints = client.read();
      Response first = client.read();
      Response second = client.get(path).read();

      assertThat(hints.status()).isEqualTo(103);
      assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo(BODY);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin.received(path)).hasSize(1);
  }

  @Test
  void severalHints_allRelayedInOrder_thenTheFinalResponse() throws Exception {
    String path = "/blobs/several/object";
    try (TestHttpClient client = connect()) {
      client.get(path);
      Response hints = client.read();
      Response moreHints = client.read();
      Response last = client.read();
      Response next = client.get(path).read();

      assertThat(hints.status()).isEqualTo(103);
      assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload");
      assertThat(moreHints.status()).isEqualTo(103);
      assertThat(moreHints.header("Link")).isEqualTo("</app.js>; rel=preload");
      assertThat(last.status()).isEqualTo(200);
      assertThat(last.text()).isEqualTo(BODY);
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin.received(path)).hasSize(1);
  }

  @Test
  void revalidationOfAStaleCopy_hintsRelayedBeforeTheStoredCopyConfirmedBy304() throws Exception {
    String path = "/blobs/revalidated/object";
    try (TestHttpClient client = connect()) {
      client.get(path); // stored stale on arrival (max-age=0): revalidated before each use
      Response firstHints = client.read();
      Response first = client.read();
      client.get(path);
      Response hints = client.read();
      Response confirmed = client.read();

      assertThat(firstHints.status()).isEqualTo(103);
      assertThat(first.text()).isEqualTo(BODY);
      assertThat(hints.status()).isEqualTo(103);
      assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload");
      assertThat(confirmed.status()).isEqualTo(200);
      assertThat(confirmed.text()).isEqualTo(BODY);
      assertThat(confirmed.header("Cache-Status")).startsWith("edge; fwd=stale; fwd-status=304");
    }
    assertThat(origin.received(path)).hasSize(2);
    assertThat(origin.received(path).get(1).request().header("If-None-Match")).isEqualTo("\"v1\"");
  }

  @Test
  void http10Client_cacheableMiss_noInterimResponse_stillStored() throws Exception {
    String path = "/blobs/plain/http10";
    try (TestHttpClient client = connect()) {
      client.sendRaw("GET " + path + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      Response response = client.read();

      assertThat(response.status()).isEqualTo(200); // RFC 9110 15.2: no 1xx to HTTP/1.0
      assertThat(response.text()).isEqualTo(BODY);
      assertThat(response.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
    }
    try (TestHttpClient client = connect()) {
      Response hit = client.get(path).read();

      assertThat(hit.status()).isEqualTo(200);
      assertThat(hit.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin.received(path)).hasSize(1);
  }

  @Test
  void collapsedClient_getsTheFinalResponseOnly_theLeaderGetsTheHints() throws Exception {
    String path = "/blobs/held/collapsed";
    try (TestHttpClient leader = connect(); TestHttpClient follower = connect()) {
      double before = coalesced();
      leader.get(path);
      await().atMost(Duration.ofSeconds(10)).until(() -> held.contains(path)); // the probe is at the origin
      follower.get(path);
      await().atMost(Duration.ofSeconds(10)).until(() -> coalesced() > before);
      release.countDown();

      Response hints = leader.read();
      Response leaderFinal = leader.read();
      Response followerFinal = follower.read();

      assertThat(hints.status()).isEqualTo(103);
      assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload");
      assertThat(leaderFinal.status()).isEqualTo(200);
      assertThat(leaderFinal.text()).isEqualTo(BODY);
      assertThat(followerFinal.status()).isEqualTo(200); // its first response: no 103
      assertThat(followerFinal.text()).isEqualTo(BODY);
      assertThat(followerFinal.header("Cache-Status")).contains("collapsed");
    }
    assertThat(origin.received(path)).hasSize(1);
  }

  @Test
  void post_passedThrough_hintsRelayedThenTheFinalResponse() throws Exception {
    String path = "/blobs/plain/post";
    try (TestHttpClient client = connect()) {
      client.sendRaw("POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody");
      Response hints = client.read();
      Response last = client.read();

      assertThat(hints.status()).isEqualTo(103);
      assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload");
      assertThat(last.status()).isEqualTo(200);
      assertThat(last.text()).isEqualTo(BODY);
    }
    assertThat(origin.received(path).get(0).body()).isEqualTo("body".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void noStoreAnswer_hintsRelayed_neverStored() throws Exception {
    String path = "/blobs/no-store/object";
    try (TestHttpClient client = connect()) {
      // The probe's hints are relayed; its answer may not be stored, so the request is passed
      // through, whose own exchange relays the origin's hints again: two 103s, then the answer.
      client.get(path);
      Response probeHints = client.read();
      Response passHints = client.read();
      Response first = client.read();
      client.get(path); // remembered as unstorable: passed through at once
      Response secondHints = client.read();
      Response second = client.read();

      assertThat(probeHints.status()).isEqualTo(103);
      assertThat(passHints.status()).isEqualTo(103);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo(BODY);
      assertThat(secondHints.status()).isEqualTo(103);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.text()).isEqualTo(BODY);
      assertThat(second.header("Cache-Status")).doesNotContain("hit");
    }
    assertThat(origin.received(path)).hasSize(3); // probe, pass-through, pass-through
  }
}
