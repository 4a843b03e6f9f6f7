package fr.acclermont.gateway.server;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the socket-level caching tests share: a {@link ScriptedOrigin} whose answers each test
 * scripts and dates with the test's clock, started before each test; the gateway in front of it,
 * which each test starts with its own extra YAML; one-request clients; and a manifest answer with
 * its validator and {@code Cache-Control}.
 */
abstract class HttpCachingFixture {

  static final String PATH = "/books/semantics/manifest.json";
  static final String STORED = "edge; fwd=miss; fwd-status=200; stored";
  static final String REVALIDATED = "edge; fwd=stale; fwd-status=304";

  final MutableClock clock = new MutableClock();
  ScriptedOrigin origin;
  Gateway gateway;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = ScriptedOrigin.start(0, clock);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  void startGateway(String extraYaml) {
    gateway = TestGateways.start(origin.baseUri(), extraYaml, clock);
  }

  /** One request on a connection of its own; {@code headers} as {@code Name: value} lines. */
  Response get(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target, headers).read();
    }
  }

  static Answer manifest(String body, String etag, String cacheControl, String... more) {
    String[] headers = new String[4 + more.length];
    headers[0] = "ETag";
    headers[1] = etag;
    headers[2] = "Cache-Control";
    headers[3] = cacheControl;
    System.arraycopy(more, 0, headers, 4, more.length);
    return new Answer(200, body, headers);
  }
}
