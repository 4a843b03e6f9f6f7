package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invalidation by unsafe methods (RFC 9111 4.4), end to end: a non-error answer to any method but
 * the safe ones drops the stored copy of its URL and of the same-origin URLs in its
 * {@code Location} and {@code Content-Location}, so the next GET goes to the origin again. The
 * demo origin's upload sink answers any such method, shaped by its {@code upload-status},
 * {@code location} and {@code content-location} hooks (which a GET of the same URL ignores).
 */
class InvalidationTest {

  private static final String HOST = "school.test";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private static OriginStats origin() {
    return env.origin().stats();
  }

  /** Fetches {@code target} twice: the first stores it, the second must be a hit (one origin request). */
  private static void store(TestHttpClient client, String target) throws Exception {
    client.get(target).read();
    assertThat(client.get(target).read().header("Cache-Status")).startsWith("edge; hit");
  }

  private static Response send(TestHttpClient client, String method, String target) throws Exception {
    return client.sendRaw(method + " " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: 2\r\n\r\nhi")
        .read();
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String path(String target) {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "PURGE", "PROPPATCH"})
  void unsafeMethod_success_nextGetGoesToTheOrigin(String method) throws Exception {
    String path = "/blobs/1KiB/unsafe-" + method.toLowerCase();
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      store(client, path);
      Response answer = send(client, method, path);
      Response after = client.get(path).read();

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.text()).startsWith("{\"method\":\"" + method + "\",\"bytes\":2,");
      assertThat(answer.header("Cache-Status")).isEqualTo("edge; fwd=method; fwd-status=200");
      assertThat(after.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200; stored");
      assertThat(after.sha256()).isEqualTo(ExpectedContent.sha256(path, 1024));
    }
    assertThat(origin().requests(path)).isEqualTo(3); // fill, the unsafe request, refill
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"OPTIONS", "TRACE"})
  void safeMethod_success_storedCopyKept(String method) throws Exception {
    String path = "/blobs/1KiB/safe-" + method.toLowerCase();
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      store(client, path);
      Response answer = client.request(method, path).read();
      Response after = client.get(path).read();

      assertThat(answer.status()).isEqualTo(200);
      assertThat(after.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin().requests(path)).isEqualTo(2); // fill, the safe request
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(ints = {201, 303})
  void post_locationAndContentLocation_thoseUrlsInvalidatedToo(int status) throws Exception {
    String other = "/blobs/1KiB/location-" + status;
    String third = "/blobs/1KiB/content-location-" + status;
    String post = "/blobs/1KiB/post-" + status + "?upload-status=" + status + "&location=" + encoded(other)
        + "&content-location=" + encoded("http://" + HOST + third);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      store(client, other);
      store(client, third);
      Response answer = send(client, "POST", post);
      Response otherAfter = client.get(other).read();
      Response thirdAfter = client.get(third).read();

      assertThat(answer.status()).isEqualTo(status);
      assertThat(answer.header("Location")).isEqualTo(other);
      assertThat(otherAfter.header("Cache-Status")).contains("fwd=miss");
      assertThat(thirdAfter.header("Cache-Status")).contains("fwd=miss");
    }
    assertThat(origin().requests(other)).isEqualTo(2);
    assertThat(origin().requests(third)).isEqualTo(2);
  }

  @Test
  void post_relativeLocation_resolvedAgainstTheRequestTarget() throws Exception {
    String created = "/blobs/1KiB/relative-created";
    String post = "/blobs/1KiB/relative-post?upload-status=201&location=relative-created";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      store(client, created);
      send(client, "POST", post);
      Response after = client.get(created).read();

      assertThat(after.header("Cache-Status")).contains("fwd=miss");
    }
    assertThat(origin().requests(created)).isEqualTo(2);
  }

  @Test
  void post_locationOnAnotherHost_storedCopyKept() throws Exception {
    String path = "/blobs/1KiB/foreign-location";
    String post = "/blobs/1KiB/foreign-post?location=" + encoded("http://elsewhere.test" + path)
        + "&content-location=" + encoded("https://" + HOST + path);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      store(client, path);
      Response answer = send(client, "POST", post);
      Response after = client.get(path).read();

      assertThat(answer.status()).isEqualTo(200);
      assertThat(after.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin().requests(path)).isEqualTo(1);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(ints = {400, 404, 409, 500, 503})
  void post_errorAnswer_nothingInvalidated(int status) throws Exception {
    String named = "/blobs/1KiB/error-named-" + status;
    // The hooks make the POST fail; a GET of the same URL ignores them, so that URL is stored.
    String target = "/blobs/1KiB/error-" + status + "?upload-status=" + status + "&location=" + encoded(named);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      store(client, target);
      store(client, named);
      Response answer = send(client, "POST", target);
      Response targetAfter = client.get(target).read();
      Response namedAfter = client.get(named).read();

      assertThat(answer.status()).isEqualTo(status);
      assertThat(targetAfter.header("Cache-Status")).startsWith("edge; hit");
      assertThat(namedAfter.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin().requests(path(target))).isEqualTo(2); // fill, the POST
    assertThat(origin().requests(named)).isEqualTo(1);
  }
}
