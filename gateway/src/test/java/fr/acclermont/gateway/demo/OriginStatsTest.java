package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.demo.OriginStats.SentRange;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the origin records per path over real sockets: the {@code Range} header of each request,
 * the object bytes each response sent (with their offsets) and the bytes sent more than once.
 */
@Timeout(30)
class OriginStatsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static DemoOrigin origin;

  @BeforeAll
  static void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @Test
  void rangeHeaders_eachRequest_inOrderAndNullWithoutRange() throws Exception {
    String path = "/blobs/10KiB/range-headers";
    try (RawConnection connection = new RawConnection(origin.port())) {
      connection.send("GET", path, "Range: bytes=0-99").read(false);
      connection.send("GET", path + "?cc=private").read(false);
      connection.send("HEAD", path, "Range: bytes=5-9").read(true);
      connection.send("GET", path, "Range: bytes=99999-").read(false); // 416
    }

    assertThat(origin.stats().rangeHeaders(path)).containsExactly("bytes=0-99", null, "bytes=5-9", "bytes=99999-");
    assertThat(origin.stats().rangeHeaders("/blobs/10KiB/never-asked")).isEmpty();
  }

  @Test
  void sentRanges_rangesAndWholeBodies_offsetsWithinTheObject() throws Exception {
    String path = "/blobs/10KiB/sent-ranges";
    try (RawConnection connection = new RawConnection(origin.port())) {
      connection.send("GET", path, "Range: bytes=100-199").read(false);
      connection.send("GET", path).read(false);
      connection.send("GET", path, "Range: bytes=-24").read(false);
      connection.send("HEAD", path).read(true);
      connection.send("GET", path, "Range: bytes=99999-").read(false);
      connection.send("GET", path, "If-None-Match: *").read(false);
    }

    awaitBodyBytes(path, 100 + 10240 + 24);
    assertThat(origin.stats().sentRanges(path)).containsExactly(
        new SentRange(100, 200), new SentRange(0, 10240), new SentRange(10216, 10240));
    assertThat(origin.stats().bytesSentMoreThanOnce(path)).isEqualTo(124);
    assertThat(origin.stats().bodyBytes(path)).isEqualTo(origin.stats().bytes(path));
  }

  @Test
  void bytesSentMoreThanOnce_consecutiveSlices_zero() throws Exception {
    String path = "/blobs/4MiB/slices";
    try (RawConnection connection = new RawConnection(origin.port())) {
      for (long slice = 0; slice < 4; slice++) {
        connection.send("GET", path, "Range: bytes=" + (slice << 20) + "-" + (((slice + 1) << 20) - 1)).read(false);
      }
    }

    awaitBodyBytes(path, 4L << 20);
    assertThat(origin.stats().bytesSentMoreThanOnce(path)).isZero();
    assertThat(origin.stats().sentRanges(path)).extracting(SentRange::length).containsOnly(1L << 20);
  }

  @Test
  void bytesSentMoreThanOnce_overlappingRanges_theOverlap() throws Exception {
    String path = "/blobs/1MiB/overlap";
    try (RawConnection connection = new RawConnection(origin.port())) {
      connection.send("GET", path, "Range: bytes=0-99").read(false);
      connection.send("GET", path, "Range: bytes=50-149").read(false);
    }

    awaitBodyBytes(path, 200);
    assertThat(origin.stats().bytesSentMoreThanOnce(path)).isEqualTo(50);
  }

  @Test
  void sentRanges_bodyCutByReset_endsWhereTheBytesStopped() throws Exception {
    String path = "/blobs/1MiB/cut";
    try (RawConnection connection = new RawConnection(origin.port())) {
      connection.send("GET", path + "?reset-after=100000").readHead();
      drainUntilBroken(connection);
    }

    awaitBodyBytes(path, 100_000);
    assertThat(origin.stats().sentRanges(path)).containsExactly(new SentRange(0, 100_000));
  }

  @Test
  void sentRanges_errorTextBody_countedAsBytesButNotAsObjectBytes() throws Exception {
    String path = "/blobs/1KiB/error-text";
    try (RawConnection connection = new RawConnection(origin.port())) {
      connection.send("GET", path + "?status=503").read(false);
    }

    awaitBodyBytes(path, "503 Service Unavailable\n".length());
    assertThat(origin.stats().sentRanges(path)).isEmpty();
    assertThat(origin.stats().bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void json_perPath_oldCountsAndTheNewOnes() throws Exception {
    String path = "/blobs/1KiB/json-fields";
    try (RawConnection connection = new RawConnection(origin.port())) {
      connection.send("GET", path, "Range: bytes=0-511").read(false);
      connection.send("GET", path).read(false);
      awaitBodyBytes(path, 512 + 1024);
      JsonNode json = JSON.readTree(connection.send("GET", "/_origin/stats").read(false).body());

      JsonNode counts = json.get("paths").get(path);
      assertThat(counts.get("requests").asLong()).isEqualTo(2);
      assertThat(counts.get("bytes").asLong()).isEqualTo(1536);
      assertThat(counts.get("rangeRequests").asLong()).isEqualTo(1);
      assertThat(counts.get("bytesSentMoreThanOnce").asLong()).isEqualTo(512);
      assertThat(json.get("requests").asLong()).isGreaterThanOrEqualTo(2);
      assertThat(json.get("bytes").asLong()).isGreaterThanOrEqualTo(1536);
    }
  }

  @Test
  void reset_afterRequests_forgetsHeadersRangesAndCoverage() throws Exception {
    try (DemoOrigin own = DemoOrigin.start(DemoOriginOptions.builder().build())) {
      String path = "/blobs/1KiB/reset-all";
      try (RawConnection connection = new RawConnection(own.port())) {
        connection.send("GET", path, "Range: bytes=0-9").read(false);
        connection.send("GET", path).read(false);
      }
      OriginStats stats = own.stats();
      await().atMost(Duration.ofSeconds(5)).until(() -> stats.bytes(path) == 1034);

      stats.reset();

      assertThat(stats.requests()).isZero();
      assertThat(stats.bytes()).isZero();
      assertThat(stats.requests(path)).isZero();
      assertThat(stats.rangeHeaders(path)).isEmpty();
      assertThat(stats.sentRanges(path)).isEmpty();
      assertThat(stats.bytesSentMoreThanOnce(path)).isZero();
    }
  }

  static void drainUntilBroken(RawConnection connection) {
    byte[] buffer = new byte[8192];
    try {
      while (connection.readToEnd(buffer) >= 0) {
        // discard
      }
    } catch (IOException reset) {
      // expected: the origin reset the connection
    }
  }

  private static void awaitBodyBytes(String path, long bytes) {
    await().atMost(Duration.ofSeconds(5)).until(() -> origin.stats().bytes(path) == bytes);
  }
}
