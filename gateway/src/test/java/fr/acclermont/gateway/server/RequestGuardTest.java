package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.config.LimitsConfig;
import fr.acclermont.gateway.config.OriginConfig;
import fr.acclermont.gateway.origin.OriginConnectionPool;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import fr.acclermont.gateway.server.RequestGuard.Accepted;
import fr.acclermont.gateway.server.RequestGuard.Rejected;
import fr.acclermont.gateway.server.RequestGuard.Verdict;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestGuardTest {

  private static final String VIA = "textbook-gateway";
  private static final LimitsConfig LIMITS = new LimitsConfig(8192, 16384, 10, 1000);
  private static final OriginConnectionPool.Connector NEVER = (upstream, loop) -> {
    throw new AssertionError("the guard never connects");
  };

  private final OriginRoute cloud = route("cloud", "http://cloud.example/", "/");
  private final OriginRoute books = route("books", "http://books.example:8080/v2", "/books/");
  private final RequestGuard guard = new RequestGuard(LIMITS, new OriginRouter(List.of(cloud, books)), VIA);

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"/", "/index.html", "/a/b?x=1&y=%20", "/search?q=/books/", "/books"})
  void check_originFormOutsideBooks_acceptedForRootOrigin(String target) {
    assertAccepted(guard.check(get(target)), cloud, target);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"/books/", "/books/tome-1.pdf", "/books/a?b=/c"})
  void check_originFormUnderBooks_longestPrefixWins(String target) {
    assertAccepted(guard.check(get(target)), books, target);
  }

  @Test
  void check_noPrefixMatches_404() {
    RequestGuard booksOnly = new RequestGuard(LIMITS, new OriginRouter(List.of(books)), VIA);

    assertRejected(booksOnly.check(get("/other")), HttpResponseStatus.NOT_FOUND);
  }

  @Test
  void check_connect_405() {
    HttpRequest request = request(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, "cloud.example:443");

    assertRejected(guard.check(request), HttpResponseStatus.METHOD_NOT_ALLOWED);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      "http://cloud.example/a?x=1, cloud, /a?x=1",
      "http://CLOUD.EXAMPLE/a, cloud, /a",
      "http://cloud.example, cloud, /",
      "http://cloud.example:80/a, cloud, /a",
      "http://books.example:8080/books/x.pdf, books, /books/x.pdf",
      "http://books.example:8080/other, cloud, /other",
  })
  void check_absoluteFormToConfiguredOrigin_reducedToOriginForm(String target, String origin, String pathAndQuery) {
    Verdict verdict = guard.check(get(target));

    assertAccepted(verdict, origin.equals("cloud") ? cloud : books, pathAndQuery);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"http://evil.example/", "http://books.example/books/", "http://cloud.example:8080/",
      "http://169.254.169.254/latest/meta-data"})
  void check_absoluteFormToOtherAuthority_403(String target) {
    assertRejected(guard.check(get(target)), HttpResponseStatus.FORBIDDEN);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"*", "cloud.example/a", "http://"})
  void check_malformedTarget_400(String target) {
    assertRejected(guard.check(get(target)), HttpResponseStatus.BAD_REQUEST, "target");
  }

  @Test
  void check_fragment_400() {
    assertRejected(guard.check(get("/a#top")), HttpResponseStatus.BAD_REQUEST, "fragment");
  }

  @Test
  void check_headerCountAtLimit_accepted() {
    HttpRequest request = get("/");
    for (int i = 1; i < LIMITS.maxHeaders(); i++) {
      request.headers().add("X-H" + i, "v");
    }

    assertThat(guard.check(request)).isInstanceOf(Accepted.class);
  }

  @Test
  void check_tooManyHeaders_431() {
    HttpRequest request = get("/");
    for (int i = 0; i < LIMITS.maxHeaders(); i++) {
      request.headers().add("X-Repeated", "v" + i);
    }

    assertRejected(guard.check(request), HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
  }

  @Test
  void check_contentLengthAndTransferEncoding_400() {
    HttpRequest request = withHost(request(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload"));
    request.headers().set("Content-Length", "10").set("Transfer-Encoding", "chunked");

    assertRejected(guard.check(request), HttpResponseStatus.BAD_REQUEST, "Transfer-Encoding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Content-Length", "close, transfer-encoding", "HOST"})
  void check_connectionNamingAFramingField_400(String connection) {
    HttpRequest request = withHost(request(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload"));
    request.headers().set("Content-Length", "10").add("Connection", "keep-alive").add("Connection", connection);

    assertRejected(guard.check(request), HttpResponseStatus.BAD_REQUEST, "Connection names the framing field");
  }

  @ParameterizedTest
  @CsvSource({"GET, Content-Length, 5", "HEAD, Content-Length, 1", "GET, Transfer-Encoding, chunked",
      "HEAD, Transfer-Encoding, chunked"})
  void check_getOrHeadWithABody_400(String method, String field, String value) {
    HttpRequest request = withHost(request(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/a"));
    request.headers().set(field, value);

    assertRejected(guard.check(request), HttpResponseStatus.BAD_REQUEST, "with a body");
  }

  @Test
  void check_getWithEmptyContentLength_accepted() {
    HttpRequest request = withHost(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a"));
    request.headers().set("Content-Length", "0");

    assertThat(guard.check(request)).isInstanceOf(Accepted.class);
  }

  @Test
  void check_contentLengthOverMaxBodyBytes_413() {
    HttpRequest request = withHost(request(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload"));
    request.headers().set("Content-Length", Long.toString(LIMITS.maxBodyBytes() + 1));

    assertRejected(guard.check(request), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
  }

  @Test
  void check_contentLengthAtMaxBodyBytes_accepted() {
    HttpRequest request = withHost(request(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload"));
    request.headers().set("Content-Length", Long.toString(LIMITS.maxBodyBytes()));

    assertThat(guard.check(request)).isInstanceOf(Accepted.class);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"1.1 textbook-gateway", "1.0 proxy.school, 1.1 textbook-gateway (Netty)",
      "HTTP/1.1 TEXTBOOK-GATEWAY"})
  void check_viaContainsOwnPseudonym_508(String via) {
    HttpRequest request = get("/");
    request.headers().set("Via", via);

    assertRejected(guard.check(request), RequestGuard.LOOP_DETECTED);
    assertThat(RequestGuard.LOOP_DETECTED.code()).isEqualTo(508);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"1.1 proxy.school", "1.1 textbook-gateway-2", "textbook-gateway"})
  void check_viaOtherHops_accepted(String via) {
    HttpRequest request = get("/");
    request.headers().set("Via", via);

    assertThat(guard.check(request)).isInstanceOf(Accepted.class);
  }

  @Test
  void check_http11WithoutHost_400() {
    assertRejected(guard.check(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/")), HttpResponseStatus.BAD_REQUEST,
        "without Host");
  }

  @Test
  void check_http10WithoutHost_accepted() {
    assertAccepted(guard.check(request(HttpVersion.HTTP_1_0, HttpMethod.GET, "/a")), cloud, "/a");
  }

  @Test
  void check_twoHostFields_400() {
    HttpRequest request = get("/");
    request.headers().add("Host", "other.example");

    assertRejected(guard.check(request), HttpResponseStatus.BAD_REQUEST, "Host");
  }

  @Test
  void check_majorVersionOtherThan1_505() {
    HttpRequest request = withHost(request(new HttpVersion("HTTP", 2, 0, true), HttpMethod.GET, "/"));

    assertRejected(guard.check(request), HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
  }

  static Stream<Arguments> decoderFailures() {
    return Stream.of(
        Arguments.of(new TooLongHttpLineException("An HTTP line is larger than 4096 bytes."),
            HttpResponseStatus.REQUEST_URI_TOO_LONG),
        Arguments.of(new TooLongHttpHeaderException("HTTP header is larger than 8192 bytes."),
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE),
        Arguments.of(new TooLongFrameException("too long"), HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE),
        Arguments.of(new IllegalArgumentException("invalid version format: HTTP/1.X"), HttpResponseStatus.BAD_REQUEST),
        Arguments.of(new NumberFormatException("Content-Length: abc"), HttpResponseStatus.BAD_REQUEST));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("decoderFailures")
  void check_decoderFailure_mappedStatus(Throwable cause, HttpResponseStatus expected) {
    // The decoder's placeholder request for a bad head: the checks below the decoder's verdict never run.
    HttpRequest request = request(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
    request.setDecoderResult(DecoderResult.failure(cause));

    assertRejected(guard.check(request), expected);
  }

  private static void assertAccepted(Verdict verdict, OriginRoute route, String pathAndQuery) {
    assertThat(verdict).isEqualTo(new Accepted(route, pathAndQuery));
  }

  private static void assertRejected(Verdict verdict, HttpResponseStatus status) {
    assertRejected(verdict, status, "");
  }

  /** Several checks answer 400: the reason tells which one refused. */
  private static void assertRejected(Verdict verdict, HttpResponseStatus status, String reasonMentions) {
    assertThat(verdict).isInstanceOfSatisfying(Rejected.class, r -> {
      assertThat(r.status()).isEqualTo(status);
      assertThat(r.reason()).isNotBlank().contains(reasonMentions);
    });
  }

  /** An HTTP/1.1 GET with a Host field, as a browser sends it. */
  private static HttpRequest get(String target) {
    return withHost(request(HttpVersion.HTTP_1_1, HttpMethod.GET, target));
  }

  private static HttpRequest withHost(HttpRequest request) {
    request.headers().set("Host", "gateway.school");
    return request;
  }

  private static HttpRequest request(HttpVersion version, HttpMethod method, String target) {
    return new DefaultHttpRequest(version, method, target);
  }

  private static OriginRoute route(String name, String url, String... paths) {
    return new OriginRoute(new OriginConfig(name, URI.create(url), List.of(paths), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(30), 4, 16), NEVER);
  }
}
