package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.config.OriginConfig;
import fr.acclermont.gateway.origin.OriginConnectionPool;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvalidationTargetsTest {

  private static final OriginConnectionPool.Connector NEVER = (upstream, loop) -> {
    throw new AssertionError("resolution never connects");
  };

  private static final OriginRouter ROUTER = new OriginRouter(List.of(
      route("cloud", "/blobs/"), route("books", "/books/", "/blobs/books/")));

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @CsvSource({
      "POST, 200, true",
      "POST, 201, true",
      "PUT, 204, true",
      "DELETE, 202, true",
      "PATCH, 200, true",
      "POST, 303, true",
      "POST, 399, true",
      // unknown methods are unsafe
      "PURGE, 200, true",
      "PROPPATCH, 207, true",
      // errors and interim statuses never invalidate
      "POST, 400, false",
      "DELETE, 404, false",
      "PUT, 500, false",
      "POST, 503, false",
      "POST, 100, false",
      "POST, 103, false",
      // safe methods never invalidate
      "GET, 200, false",
      "HEAD, 200, false",
      "OPTIONS, 200, false",
      "TRACE, 200, false",
  })
  void invalidates_methodAndStatus(String method, int status, boolean expected) {
    assertThat(InvalidationTargets.invalidates(HttpMethod.valueOf(method), status)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      // relative references, resolved against /blobs/a/b?q=1 (RFC 3986 5.2)
      "/blobs/other, cloud:/blobs/other",
      "c, cloud:/blobs/a/c",
      "./c?x=2, cloud:/blobs/a/c?x=2",
      "../x/y, cloud:/blobs/x/y",
      "'?v=2', cloud:/blobs/a/b?v=2",
      "'', cloud:/blobs/a/b?q=1",
      "'#part', cloud:/blobs/a/b?q=1",
      "/blobs/books/t, books:/blobs/books/t",
      "/books/../blobs/n, cloud:/blobs/n",
      "/../blobs/n, cloud:/blobs/n",
      "/blobs/%20x?a=%2F, cloud:/blobs/%20x?a=%2F",
      // absolute and network-path references on the request's authority
      "http://school.test/blobs/q?x=1#frag, cloud:/blobs/q?x=1",
      "HTTP://School.TEST:80/blobs/q, cloud:/blobs/q",
      "//school.test/blobs/q, cloud:/blobs/q",
      // elsewhere, unrouted, malformed: nothing
      "http://elsewhere.test/blobs/q, ''",
      "https://school.test/blobs/q, ''",
      "http://school.test:8080/blobs/q, ''",
      "http://user@school.test/blobs/q, ''",
      "http://school.test, ''",
      "/unrouted/x, ''",
      "not a uri, ''",
      "/blobs/a|b, ''",
      "http://[bad/blobs/q, ''",
      "mailto:someone@school.test, ''",
  })
  void of_location_keyOnTheRequestsOrigin(String location, String expected) {
    HttpHeaders response = new DefaultHttpHeaders().set(HttpHeaderNames.LOCATION, location);

    Set<CacheKey> keys = InvalidationTargets.of(ROUTER, request("/blobs/a/b?q=1", "school.test"), "/blobs/a/b?q=1",
        response);

    assertThat(keys.stream().map(CacheKey::toString)).containsExactlyElementsOf(
        expected.isEmpty() ? List.of() : List.of(expected));
  }

  @Test
  void of_locationAndContentLocation_bothInOrderWithoutRepeats() {
    HttpHeaders response = new DefaultHttpHeaders()
        .set(HttpHeaderNames.CONTENT_LOCATION, "http://school.test/blobs/third")
        .set(HttpHeaderNames.LOCATION, "/blobs/other");
    HttpHeaders same = new DefaultHttpHeaders()
        .set(HttpHeaderNames.CONTENT_LOCATION, "other")
        .set(HttpHeaderNames.LOCATION, "/blobs/other");

    assertThat(InvalidationTargets.of(ROUTER, request("/blobs/post", "school.test"), "/blobs/post", response))
        .containsExactly(new CacheKey("cloud", "/blobs/other"), new CacheKey("cloud", "/blobs/third"));
    assertThat(InvalidationTargets.of(ROUTER, request("/blobs/post", "school.test"), "/blobs/post", same))
        .containsExactly(new CacheKey("cloud", "/blobs/other"));
  }

  @Test
  void of_noReferences_none() {
    assertThat(InvalidationTargets.of(ROUTER, request("/blobs/post", "school.test"), "/blobs/post",
        new DefaultHttpHeaders())).isEmpty();
  }

  @Test
  void of_absoluteFormRequest_authorityOfTheTargetNotHost() {
    HttpRequest request = request("http://cloud.example/blobs/post", "school.test");

    assertThat(InvalidationTargets.of(ROUTER, request, "/blobs/post", location("http://cloud.example/blobs/z")))
        .containsExactly(new CacheKey("cloud", "/blobs/z"));
    assertThat(InvalidationTargets.of(ROUTER, request, "/blobs/post", location("http://school.test/blobs/z")))
        .isEmpty();
  }

  @Test
  void of_requestWithoutHost_onlyRelativeReferences() {
    HttpRequest request = request("/blobs/post", null);

    assertThat(InvalidationTargets.of(ROUTER, request, "/blobs/post", location("z")))
        .containsExactly(new CacheKey("cloud", "/blobs/z"));
    assertThat(InvalidationTargets.of(ROUTER, request, "/blobs/post", location("http://school.test/blobs/z")))
        .isEmpty();
  }

  @Test
  void of_requestTargetJavaCannotParse_relativeIgnoredAbsolutePathKept() {
    HttpRequest request = request("/blobs/a|b", "school.test");

    assertThat(InvalidationTargets.of(ROUTER, request, "/blobs/a|b", location("c"))).isEmpty();
    assertThat(InvalidationTargets.of(ROUTER, request, "/blobs/a|b", location("/blobs/c")))
        .containsExactly(new CacheKey("cloud", "/blobs/c"));
  }

  private static HttpHeaders location(String value) {
    return new DefaultHttpHeaders().set(HttpHeaderNames.LOCATION, value);
  }

  private static HttpRequest request(String target, String host) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target);
    if (host != null) {
      request.headers().set(HttpHeaderNames.HOST, host);
    }
    return request;
  }

  private static OriginRoute route(String name, String... paths) {
    return new OriginRoute(new OriginConfig(name, URI.create("http://" + name + ".example"), List.of(paths),
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), 4, 16), NEVER);
  }
}
