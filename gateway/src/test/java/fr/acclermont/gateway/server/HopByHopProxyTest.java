package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hop-by-hop fields (RFC 9110 7.6.1) are stripped both ways at socket level, and {@code Via} is
 * added both ways: on a stored miss, on the hit that follows, and on a pass-through.
 * ({@link HopByHopHeadersTest} covers the stripping rules one by one.)
 */
class HopByHopProxyTest {

  /** The client's hop-by-hop fields, a field its {@code Connection} names, and an end-to-end one. */
  private static final String[] CLIENT_FIELDS = {"Connection: X-Client-Hop", "X-Client-Hop: 1",
      "Keep-Alive: timeout=5", "TE: trailers", "Proxy-Authorization: Basic eDp5", "Proxy-Connection: keep-alive",
      "X-End-To-End: from-client"};
  private static final List<String> CLIENT_HOP = List.of("Connection", "X-Client-Hop", "Keep-Alive", "TE",
      "Proxy-Authorization", "Proxy-Connection");
  private static final List<String> ORIGIN_HOP = List.of("X-Origin-Hop", "Keep-Alive", "Proxy-Authenticate");

  private static ScriptedOrigin origin;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    MutableClock clock = new MutableClock();
    origin = ScriptedOrigin.start(0, clock);
    gateway = TestGateways.start(origin.baseUri(), "", clock);
    for (String path : List.of("/books/hops/stored.css", "/books/hops/passed.css")) {
      origin.answer(path, new Answer(200, "body { }", "Cache-Control", "max-age=600", "Connection", "X-Origin-Hop",
          "X-Origin-Hop", "secret", "Keep-Alive", "timeout=5, max=100", "Proxy-Authenticate", "Basic realm=\"x\"",
          "X-End-To-End", "from-origin"));
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
    origin.close();
  }

  private static Response get(String path, String... extra) throws Exception {
    String[] fields = new String[CLIENT_FIELDS.length + extra.length];
    System.arraycopy(CLIENT_FIELDS, 0, fields, 0, CLIENT_FIELDS.length);
    System.arraycopy(extra, 0, fields, CLIENT_FIELDS.length, extra.length);
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(path, fields).read();
    }
  }

  @Test
  void storedMissThenHit_hopByHopStrippedBothWays_viaAddedBothWays() throws Exception {
    String path = "/books/hops/stored.css";
    Response miss = get(path);
    Response hit = get(path);

    assertThat(miss.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
    assertThat(hit.header("Cache-Status")).startsWith("edge; hit");
    assertForwarded(origin.received(path));
    assertAnswered(miss);
    assertAnswered(hit);
  }

  @Test
  void passThrough_hopByHopStrippedBothWays_viaAddedBothWays() throws Exception {
    String path = "/books/hops/passed.css";
    Response passed = get(path, "Cache-Control: no-store");

    assertThat(passed.header("Cache-Status")).isEqualTo("edge; fwd=bypass; fwd-status=200");
    assertForwarded(origin.received(path));
    assertAnswered(passed);
  }

  /** What the origin received: one request, end-to-end fields only, and this gateway's {@code Via}. */
  private static void assertForwarded(List<ScriptedOrigin.Received> received) {
    assertThat(received).hasSize(1);
    ScriptedOrigin.Received request = received.get(0);
    CLIENT_HOP.forEach(name -> assertThat(request.header(name)).as(name).isNull());
    assertThat(request.header("X-End-To-End")).isEqualTo("from-client");
    assertThat(request.header("Via")).isEqualTo("1.1 textbook-gateway");
  }

  /** What the client received: the body, end-to-end fields only, and this gateway's {@code Via}. */
  private static void assertAnswered(Response response) {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("body { }");
    ORIGIN_HOP.forEach(name -> assertThat(response.header(name)).as(name).isNull());
    assertThat(response.header("Connection")).as("Connection").isNull();
    assertThat(response.header("X-End-To-End")).isEqualTo("from-origin");
    assertThat(response.header("Via")).isEqualTo("1.1 textbook-gateway");
  }
}
