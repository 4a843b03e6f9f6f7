package fr.acclermont.gateway.server;

import static fr.acclermont.gateway.server.SlicedBodies.MIB;
import static fr.acclermont.gateway.server.SlicedBodies.SLICE;
import static fr.acclermont.gateway.server.SlicedBodies.assertBytes;
import static fr.acclermont.gateway.server.SlicedBodies.assertWhole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.demo.OriginStats.SentRange;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.SliceRanges;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Objects fetched from the origin in slices (DESIGN.md, "Units" and "The in-flight slice"), read by
 * many clients at once: a cold object is fetched as {@code Range: bytes=0-1048575},
 * {@code bytes=1048576-2097151}, ..., each slice once whoever asks for it, and never the same byte
 * twice; every client is streamed the bytes as they arrive; a client leaving or a failed slice
 * breaks only the responses that needed it; readers of different slices probe side by side. One
 * reader's ranges, If-Range, HEAD and origins that change or ignore ranges: {@link SlicedRangesTest}.
 *
 * <p>Real sockets against the demo origin, whose stats record each request's {@code Range}
 * header and each object byte sent. The gateway has 1 MiB slices and a 512 MiB memory tier, so
 * the 200 MiB object of the random-range test fits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlicedStreamingTest {

  private static final int STUDENTS = 35;
  /** Every wait on a client or the origin ends by then. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension
  static final GatewayExtension env =
      new GatewayExtension("cache: { memory: { max-bytes: 512MiB }, slice-size: 1MiB }\n");

  private static final Classroom classroom = new Classroom(STUDENTS, PATIENCE);

  @AfterAll
  static void dismissTheClass() {
    classroom.close();
  }

  @Test
  void thirtyFiveClients_coldObject_eachSliceFetchedOnceAndEveryoneComplete() throws Exception {
    String path = "/blobs/20MiB/sliced-class";
    String target = path + "?delay=100"; // the first slice is slow to come: everyone joins it
    long length = 20 * MIB;
    String expected = ExpectedContent.sha256(path, length);

    List<Response> responses = together(STUDENTS, (id, client) -> client.get(target).readDigestOnly());

    assertThat(responses).allSatisfy(r -> assertWhole(r, length, expected));
    OriginStats origin = env.origin().stats();
    assertThat(origin.requests(path)).isEqualTo(20);
    assertThat(origin.rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(20 * MIB));
    assertThat(origin.bytesSentMoreThanOnce(path)).isZero();
    awaitOriginBodyBytes(path, length);

    Response again = download(target);
    assertThat(again.header("Cache-Status")).contains("hit");
    assertThat(again.sha256()).isEqualTo(expected);
    assertThat(origin.requests(path)).isEqualTo(20);
  }

  @Test
  void thirtyFiveClients_randomRangesOfAColdObject_noByteFetchedTwice() throws Exception {
    String path = "/blobs/200MiB/random-readers";
    long length = 200 * MIB;
    int rangeBytes = 64 * 1024;

    List<Integer> answered = together(STUDENTS, (id, client) -> {
      SplittableRandom random = new SplittableRandom(1_000 + id);
      for (int i = 0; i < 10; i++) {
        long first = random.nextLong(length - rangeBytes + 1);
        long last = first + rangeBytes - 1;
        Response r = client.get(path, "Range: bytes=" + first + "-" + last).read();
        String which = "client " + id + ", range " + first + "-" + last;
        assertThat(r.status()).as(which).isEqualTo(206);
        assertThat(r.header("Content-Range")).as(which).isEqualTo("bytes " + first + "-" + last + "/" + length);
        assertBytes(r, path, first, rangeBytes, 1, which);
      }
      return 10;
    });

    assertThat(answered).containsOnly(10).hasSize(STUDENTS);
    OriginStats origin = env.origin().stats();
    assertThat(origin.bytesSentMoreThanOnce(path))
        .as("overlapping ranges sent: %s", overlapping(origin.sentRanges(path))).isZero();
    assertThat(origin.bodyBytes(path)).isLessThanOrEqualTo(length);
  }

  @Test
  void oneOfThirtyFiveAborting_othersComplete_eachSliceFetchedOnce() throws Exception {
    String path = "/blobs/20MiB/one-leaves-the-class";
    String target = path + "?delay=100";
    long length = 20 * MIB;
    String expected = ExpectedContent.sha256(path, length);

    List<Response> responses = together(STUDENTS, (id, client) -> {
      client.get(target);
      if (id == 0) {
        client.readRaw(MIB);
        return null; // and the socket closes mid-body
      }
      return client.readDigestOnly();
    });

    List<Response> stayed = responses.stream().filter(r -> r != null).toList();
    assertThat(stayed).hasSize(STUDENTS - 1).allSatisfy(r -> assertWhole(r, length, expected));
    assertThat(env.origin().stats().requests(path)).as("%s", env.origin().stats().rangeHeaders(path)).isEqualTo(20);
    assertThat(env.origin().stats().bytesSentMoreThanOnce(path)).isZero();
  }

  /**
   * In slice 0, before any client may have its head; in slice 2, well into the bodies. The clients
   * that were reading the slice when its fetch broke see a broken response; one that reaches the
   * slice after the failure is served by a new fetch of the missing bytes (DESIGN.md: "the next
   * reader starts a new fetch"). What never happens is a complete-looking body that is short or
   * wrong.
   */
  @ParameterizedTest
  @ValueSource(longs = {500_000, 2_500_000})
  void originResetInsideASlice_neverACompleteLookingShortBody_nextRequestWhole(long resetAt) throws Exception {
    String path = "/blobs/5MiB/reset-at-" + resetAt;
    String target = path + "?delay=100&reset-once-at=" + resetAt; // the origin resets once only
    long length = 5 * MIB;
    String expected = ExpectedContent.sha256(path, length);

    List<Response> responses = together(5, (id, client) -> {
      client.get(target);
      try {
        return client.read();
      } catch (SocketTimeoutException hung) {
        throw hung; // neither finished nor closed: not a broken response but a stuck one
      } catch (IOException closedBeforeTheHead) {
        return null;
      }
    });

    OriginStats origin = env.origin().stats();
    String originSide = "origin ranges " + origin.rangeHeaders(path) + ", sent " + origin.sentRanges(path);
    assertThat(origin.sentRanges(path)).as(originSide).anyMatch(sent -> sent.end() == resetAt); // it fired
    // Whole and right, or visibly broken: the connection closed before the head (null), a 5xx
    // before any byte, or a body that stops short of its announced length with the right bytes.
    assertThat(responses).as(originSide).allSatisfy(r -> {
      if (r != null && r.status() < 500 && r.complete()) {
        assertWhole(r, length, expected);
      } else if (r != null && r.status() < 500) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyLength()).isLessThan(length);
        assertBytes(r, path, 0, (int) r.bodyLength(), 1, "received prefix");
      }
    });
    Response next = download(target);
    assertWhole(next, length, expected);
  }

  /**
   * Readers of ranges in different slices of a cold object do not queue behind the first probe's
   * head: each sends its own probe at once (side by side), the first head to arrive publishes the
   * object, and every probe fills its own reserved run, so no byte is fetched twice.
   */
  @Test
  void rangesInDifferentSlices_coldObject_probedSideBySide_eachByteOnce() throws Exception {
    String path = "/blobs/8MiB/side-by-side";
    String target = path + "?delay=300"; // every reader arrives before the first head
    int readers = 8;
    List<String> wanted = new ArrayList<>();
    for (int i = 0; i < readers; i++) {
      wanted.add("bytes=" + (i * SLICE + 1000) + "-" + (i * SLICE + 1000 + 65_535));
    }

    List<Response> responses = together(readers, (id, client) -> client.get(target, "Range: " + wanted.get(id)).read());

    for (int i = 0; i < readers; i++) {
      Response r = responses.get(i);
      assertThat(r.status()).isEqualTo(206);
      assertThat(r.header("Cache-Status")).as("nobody waited for another's head").doesNotContain("collapsed");
      assertBytes(r, path, i * SLICE + 1000, 65_536, 1, wanted.get(i));
    }
    OriginStats origin = env.origin().stats();
    // Then the background fills of the rest of each slice; the probes came first.
    assertThat(origin.rangeHeaders(path).subList(0, readers)).containsExactlyInAnyOrderElementsOf(wanted);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(origin.bodyBytes(path)).isEqualTo(8 * MIB));
    assertThat(origin.bytesSentMoreThanOnce(path)).isZero();
  }

  /** Connects {@code clients} clients, then lets them all run {@code task} at once. */
  private static <T> List<T> together(int clients, Classroom.ClientTask<T> task) throws Exception {
    return classroom.together(env.gateway().port(), clients, task);
  }

  private static Response download(String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target).readDigestOnly();
    }
  }

  /** Waits (bounded) for the origin's count of body bytes sent for {@code path} to reach {@code bytes}. */
  private static void awaitOriginBodyBytes(String path, long bytes) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(
        () -> assertThat(env.origin().stats().bodyBytes(path)).isEqualTo(bytes));
  }

  /** The ranges sent that overlap another one (for a failure message). */
  private static List<SentRange> overlapping(List<SentRange> sent) {
    Set<SentRange> overlapping = new LinkedHashSet<>();
    SentRange furthest = null;
    for (SentRange range : sent.stream().sorted(Comparator.comparingLong(SentRange::start)).toList()) {
      if (furthest != null && range.start() < furthest.end()) {
        overlapping.add(furthest);
        overlapping.add(range);
      }
      if (furthest == null || range.end() > furthest.end()) {
        furthest = range;
      }
    }
    return List.copyOf(overlapping);
  }
}
