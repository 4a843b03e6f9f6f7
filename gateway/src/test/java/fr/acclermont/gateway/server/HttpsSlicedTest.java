package fr.acclermont.gateway.server;

import static fr.acclermont.gateway.server.SlicedBodies.MIB;
import static fr.acclermont.gateway.server.SlicedBodies.SLICE;
import static fr.acclermont.gateway.server.SlicedBodies.assertBytes;
import static fr.acclermont.gateway.server.SlicedBodies.assertWhole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.SliceRanges;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sliced objects from an HTTPS origin: the demo origin behind a TLS front with a certificate of the
 * test CA, given to the gateway as {@code tls.ca-file}. The same rules as over plain HTTP
 * ({@link SlicedStreamingTest}, {@link CoalescingTest}): a class of 35 on a cold object costs one
 * origin request per slice and no byte twice; a client's range is served from one slice fetch; an
 * origin cut mid-body over TLS cuts the clients of that slice and the next reader fetches only what
 * is missing. Every connection the gateway opened cost one handshake, all of them good.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpsSlicedTest {

  private static final int STUDENTS = 35;

  @RegisterExtension
  static final GatewayExtension env = GatewayExtension.https("");

  private static final Classroom classroom = new Classroom(STUDENTS, Duration.ofSeconds(30));

  @AfterAll
  static void everyConnectionWasOneGoodHandshake() {
    classroom.close();
    List<Counter> handshakes = Search.in(env.gateway().metrics().registry())
        .name("gateway.origin.tls.handshakes").tag("origin", "cloud").counters().stream().toList();
    double ok = handshakes.stream().filter(c -> "ok".equals(c.getId().getTag("outcome")))
        .mapToDouble(Counter::count).sum();
    assertThat(ok).isPositive();
    // The front's side of a TLS 1.3 handshake ends a moment after the gateway's.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(env.front().handshakes()).isEqualTo((int) ok));
    assertThat(handshakes.stream().mapToDouble(Counter::count).sum()).as("no failed handshake").isEqualTo(ok);
  }

  @Test
  void thirtyFiveClients_coldObject_oneRequestPerSliceAndIdenticalBytes() throws Exception {
    String path = "/blobs/8MiB/https-class";
    String target = path + "?delay=100"; // the probe's answer is slow to come: everyone joins it
    long length = 8 * MIB;
    String expected = ExpectedContent.sha256(path, length);

    List<Response> responses = classroom.together(env.gateway().port(), STUDENTS,
        (id, client) -> client.get(target).readDigestOnly());

    assertThat(responses).allSatisfy(r -> assertWhole(r, length, expected));
    OriginStats origin = env.origin().stats();
    assertThat(origin.requests(path)).as("%s", origin.rangeHeaders(path)).isEqualTo(8);
    assertThat(origin.rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(length));
    assertThat(origin.bytesSentMoreThanOnce(path)).isZero();

    Response again = download(target);
    assertThat(again.header("Cache-Status")).startsWith("edge; hit");
    assertThat(again.sha256()).isEqualTo(expected);
    assertThat(origin.requests(path)).isEqualTo(8);
  }

  @Test
  void clientRange_coldObject_oneSliceFetchedAndTheRightBytes() throws Exception {
    String path = "/blobs/4MiB/https-range";
    long first = 2 * SLICE + 1000;
    int rangeBytes = 64 * 1024;

    Response range;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      range = client.get(path, "Range: bytes=" + first + "-" + (first + rangeBytes - 1)).read();
    }

    assertThat(range.status()).isEqualTo(206);
    assertThat(range.header("Content-Range")).isEqualTo("bytes " + first + "-" + (first + rangeBytes - 1) + "/" + 4 * MIB);
    assertBytes(range, path, first, rangeBytes, 1, "range over TLS");
    OriginStats origin = env.origin().stats();
    // The probe asked for the client's bytes first (the rest of the slice may be filling by now).
    assertThat(origin.rangeHeaders(path).get(0)).startsWith("bytes=" + first + "-");
    assertThat(origin.bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void originResetMidBody_clientCutAtTheSlice_andTheNextRequestFetchesOnlyItAgain() throws Exception {
    String path = "/blobs/2MiB/https-reset";
    // The second slice's fetch is cut before its first byte, once. It waits 300 ms at the origin
    // first: the client has read the first slice by then and waits on the second (else it could
    // reach the slice after the failure, and be served by a new fetch).
    String target = path + "?delay=300&reset-once-at=" + SLICE;

    Response cut = download(target);

    assertThat(cut.status()).isEqualTo(200);
    assertThat(cut.complete()).isFalse();
    assertThat(cut.bodyLength()).isEqualTo(SLICE);

    Response next = download(target);

    assertThat(next.complete()).isTrue();
    assertThat(next.sha256()).isEqualTo(ExpectedContent.sha256(path, 2 * MIB));
    List<String> expectedRanges = new ArrayList<>(SliceRanges.of(2 * MIB));
    expectedRanges.add(SliceRanges.of(2 * MIB).get(1));
    OriginStats origin = env.origin().stats();
    assertThat(origin.rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(expectedRanges);
    assertThat(origin.bytesSentMoreThanOnce(path)).isZero();
  }

  private static Response download(String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target).readDigestOnly();
    }
  }
}
