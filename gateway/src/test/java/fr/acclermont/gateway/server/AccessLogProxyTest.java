package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access log through real sockets: one valid JSON line per request, whatever its end (a hit, a
 * miss, a pass-through, a refusal, a client leaving mid-body), with the status, body bytes and
 * Cache-Status the client saw, and no secret.
 */
class AccessLogProxyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LOG = tempFile();

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("access-log: { path: '" + LOG + "' }\n");

  /** When the running test began: the time of its lines is not before. */
  private static Instant testStarted;

  @BeforeEach
  void noteStart() {
    testStarted = Instant.now();
  }

  private static Path tempFile() {
    try {
      Path file = Files.createTempFile("access-log-proxy-test-", ".log");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void missThenHit_oneLineEach_matchingWhatTheClientSaw() throws Exception {
    String path = "/blobs/10000/al-miss-then-hit";
    Response miss;
    Response hit;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      miss = client.get(path).read();
      hit = client.get(path).read();
    }

    List<JsonNode> lines = awaitLines(line -> path.equals(line.path("path").asText()), 2);
    JsonNode first = lines.get(0);
    JsonNode second = lines.get(1);
    assertThat(miss.header("Cache-Status")).startsWith("edge; fwd=miss");
    assertThat(hit.header("Cache-Status")).startsWith("edge; hit");
    assertServed(first, "GET", miss);
    assertServed(second, "GET", hit);
    assertThat(first.get("origin_ms").isNumber()).isTrue();
    assertThat(first.get("origin_ms").asDouble()).isBetween(0.0, first.get("total_ms").asDouble());
    assertThat(second.get("origin_ms").isNull()).isTrue(); // served from the cache
  }

  @Test
  void passThroughPost_lineWithOriginTimeAndResponseBytes() throws Exception {
    String path = "/blobs/1/al-post";
    byte[] body = new byte[100_000];
    Response response;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n");
      client.sendBytes(body);
      response = client.read();
    }

    JsonNode line = awaitLine(l -> path.equals(l.path("path").asText()));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Cache-Status")).isEqualTo("edge; fwd=method; fwd-status=200");
    assertServed(line, "POST", response);
    assertThat(line.get("origin_ms").asDouble()).isBetween(0.0, line.get("total_ms").asDouble());
  }

  @Test
  void noRoute_404Line_withoutOriginOrCacheStatus() throws Exception {
    Response response;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      response = client.get("/al-nowhere?page=1").read();
    }

    JsonNode line = awaitLine(l -> "/al-nowhere?page=1".equals(l.path("path").asText()));
    assertThat(response.status()).isEqualTo(404);
    assertThat(line.get("status").asInt()).isEqualTo(404);
    assertThat(line.get("method").asText()).isEqualTo("GET");
    assertThat(line.get("bytes").asLong()).isEqualTo(response.body().length).isPositive();
    assertThat(line.get("cache").isNull()).isTrue();
    assertThat(line.get("origin").isNull()).isTrue();
    assertThat(line.get("origin_ms").isNull()).isTrue();
    assertThat(line.get("end").asText()).isEqualTo("complete");
  }

  @Test
  void bodyOverLimit_413Line() throws Exception {
    Response response;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      response = client.sendRaw("POST /blobs/10/al-too-large HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n")
          .read();
    }

    JsonNode line = awaitLine(l -> "/blobs/10/al-too-large".equals(l.path("path").asText()));
    assertThat(response.status()).isEqualTo(413);
    assertThat(line.get("status").asInt()).isEqualTo(413);
    assertThat(line.get("method").asText()).isEqualTo("POST");
    assertThat(line.get("bytes").asLong()).isEqualTo(response.body().length);
  }

  @Test
  void malformedRequest_400Line_withoutMethodOrPath() throws Exception {
    Response response;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      response = client.sendRaw("GARBAGE\r\n\r\n").read();
    }

    JsonNode line = awaitLine(l -> l.get("status").asInt() == 400 && l.get("method").isNull());
    assertThat(response.status()).isEqualTo(400);
    assertThat(line.get("path").isNull()).isTrue(); // not the codec's placeholder
    assertThat(line.get("client").asText()).isEqualTo("127.0.0.1");
    assertThat(line.get("bytes").asLong()).isEqualTo(response.body().length);
    assertThat(line.get("end").asText()).isEqualTo("complete");
  }

  @Test
  void headersNeverCompleted_408Line() throws Exception {
    Response response;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      response = client.sendRaw("GET /blobs/10/al-slow HTTP/1.1\r\nHost: t\r\n").read(); // request-header: 1s
    }

    JsonNode line = awaitLine(l -> l.get("status").asInt() == 408);
    assertThat(response.status()).isEqualTo(408);
    assertThat(line.get("method").isNull()).isTrue();
    assertThat(line.get("bytes").asLong()).isEqualTo(response.body().length);
    // Its value (the wait from the first byte: the request-header timeout) is asserted on a frozen
    // clock in RequestHeadTimeoutHandlerTest.
    assertThat(line.get("total_ms").isNumber()).isTrue();
  }

  @Test
  void clientLeavesMidResponseBody_lineSaysSoWithBytesSentSoFar() throws Exception {
    String path = "/blobs/16MiB/al-leaves-mid-body";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.get(path);
      assertThat(client.readRaw(300_000)).isEqualTo(300_000); // the head and the first body bytes
    } // closed with unread bytes: a reset

    JsonNode line = awaitLine(l -> path.equals(l.path("path").asText()));
    assertThat(line.get("status").asInt()).isEqualTo(200);
    assertThat(line.get("end").asText()).isEqualTo("client-closed");
    assertThat(line.get("bytes").asLong()).isGreaterThan(0).isLessThan(16L << 20);
    assertThat(line.get("cache").asText()).startsWith("edge; fwd=miss");
    assertThat(line.get("ttfb_ms").isNumber()).isTrue();
  }

  @Test
  void clientLeavesMidRequestBody_499Line() throws Exception {
    String path = "/blobs/1/al-upload-cut";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.sendRaw("POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n");
      client.sendBytes(new byte[100_000]);
    } // gone before the rest of the body, and before any answer

    JsonNode line = awaitLine(l -> path.equals(l.path("path").asText()));
    assertThat(line.get("status").asInt()).isEqualTo(499);
    assertThat(line.get("end").asText()).isEqualTo("client-closed");
    assertThat(line.get("bytes").asLong()).isZero();
    assertThat(line.get("ttfb_ms").isNull()).isTrue();
    assertThat(line.get("cache").isNull()).isTrue();
    assertThat(line.get("origin").asText()).isEqualTo("cloud");
    assertThat(line.get("origin_ms").isNumber()).isTrue();
  }

  @Test
  void secrets_maskedInQueryAndNeverLoggedFromHeaders() throws Exception {
    String path = "/blobs/10/al-secrets";
    Response response;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      response = client.get(path + "?page=2&access_token=tok-4f9a1c&X-Amz-Signature=sig-77e2b0&%74oken=tok-e3d1",
          "Authorization: Bearer bearer-9c8d7e6f", "Cookie: session=cookie-1a2b3c").read();
    }

    JsonNode line = awaitLine(l -> l.path("path").asText().startsWith(path));
    assertThat(response.status()).isEqualTo(200);
    assertThat(line.get("path").asText())
        .isEqualTo(path + "?page=2&access_token=***&X-Amz-Signature=***&%74oken=***");
    String file = Files.readString(LOG);
    assertThat(file).doesNotContain("tok-4f9a1c", "sig-77e2b0", "tok-e3d1", "bearer-9c8d7e6f", "cookie-1a2b3c");
  }

  @Test
  void metrics_droppedLinesCounter_exported() {
    assertThat(env.gateway().metrics().scrape()).contains("gateway_access_log_dropped_total 0.0");
  }

  /** Checks a line against the response the client read. */
  private static void assertServed(JsonNode line, String method, Response response) {
    // Stamped by the gateway's clock during this test: not before it began, not in the future.
    assertThat(Instant.parse(line.get("time").asText()))
        .isBetween(testStarted.truncatedTo(ChronoUnit.MILLIS), Instant.now());
    assertThat(line.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(line.get("client").asText()).isEqualTo("127.0.0.1");
    assertThat(line.get("method").asText()).isEqualTo(method);
    assertThat(line.get("status").asInt()).isEqualTo(response.status());
    assertThat(line.get("bytes").asLong()).isEqualTo(response.bodyLength()).isEqualTo(response.body().length);
    assertThat(line.get("cache").asText()).isEqualTo(response.header("Cache-Status"));
    assertThat(line.get("origin").asText()).isEqualTo("cloud");
    assertThat(line.get("end").asText()).isEqualTo("complete");
    assertThat(line.get("ttfb_ms").asDouble()).isBetween(0.0, line.get("total_ms").asDouble());
  }

  private static JsonNode awaitLine(Predicate<JsonNode> wanted) {
    return awaitLines(wanted, 1).get(0);
  }

  /** Waits until exactly {@code count} lines match (a few more could only mean a duplicate). */
  private static List<JsonNode> awaitLines(Predicate<JsonNode> wanted, int count) {
    List<JsonNode> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      found.clear();
      lines().stream().filter(wanted).forEach(found::add);
      return found.size() >= count;
    });
    assertThat(found).hasSize(count);
    return found;
  }

  /** Every complete line of the log, each checked to be one JSON object with the documented fields. */
  private static List<JsonNode> lines() throws IOException {
    String text = Files.readString(LOG, StandardCharsets.UTF_8);
    String complete = text.substring(0, text.lastIndexOf('\n') + 1);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : complete.lines().toList()) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      assertThat(names).as(line).containsExactly("time", "client", "method", "protocol", "path", "status", "bytes", "cache",
          "ttfb_ms", "total_ms", "origin_ms", "origin", "end");
      lines.add(node);
    }
    return lines;
  }
}
