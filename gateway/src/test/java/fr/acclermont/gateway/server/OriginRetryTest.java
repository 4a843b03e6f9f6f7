package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.RawOrigin;
import fr.acclermont.gateway.testing.RawOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One retry, of idempotent requests only (RFC 9110 9.2.2). When the origin closes a reused pooled
 * connection without answering, a request without a body whose method is idempotent is sent once
 * more on a new connection; any other (a POST: the origin may have acted on it) gets 502 and is
 * never sent twice. The origin here reads each whole request before closing, as one that took it.
 */
class OriginRetryTest {

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nCache-Control: no-store\r\n\r\nok";

  /** The method and target of the requests already dropped once. */
  private static final Set<String> DROPPED = ConcurrentHashMap.newKeySet();

  private static RawOrigin origin;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    origin = RawOrigin.start(OriginRetryTest::answer);
    gateway = TestGateways.start(origin.baseUri());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    origin.close();
  }

  /** The first request for each method and target under {@code /blobs/drop-once/} is closed unanswered. */
  private static Answer answer(RawOrigin.Request request) {
    if (request.target().startsWith("/blobs/drop-once/") && DROPPED.add(request.method() + " " + request.target())) {
      return Answer.closeUnanswered();
    }
    return Answer.of(OK);
  }

  /**
   * Sends {@code method target} (no body) on a client connection whose first request left its
   * origin connection in the pool: one client connection is served by one event loop, whose pool
   * the second request's exchange draws from.
   */
  private static Response onReusedOriginConnection(String method, String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      Response warm = client.get("/blobs/warm/" + method, "Cache-Control: no-store").read();
      assertThat(warm.status()).isEqualTo(200);
      return client.request(method, target, "Cache-Control: no-store", "Content-Length: 0").read();
    }
  }

  @Test
  void get_reusedConnectionClosedUnanswered_retriedOnceOnANewConnection() throws Exception {
    String target = "/blobs/drop-once/get";
    Response response = onReusedOriginConnection("GET", target);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("ok");
    assertThat(origin.received(target)).hasSize(2);
  }

  @Test
  void delete_reusedConnectionClosedUnanswered_idempotentSoRetriedOnce() throws Exception {
    String target = "/blobs/drop-once/delete";
    Response response = onReusedOriginConnection("DELETE", target);

    assertThat(response.status()).isEqualTo(200);
    assertThat(origin.received(target)).hasSize(2);
  }

  @Test
  void postWithoutBody_reusedConnectionClosedUnanswered_502AndNeverSentTwice() throws Exception {
    String target = "/blobs/drop-once/post";
    Response response = onReusedOriginConnection("POST", target);

    assertThat(response.status()).isEqualTo(502);
    assertThat(origin.received(target)).as("a POST the origin may have acted on").hasSize(1);
  }
}
