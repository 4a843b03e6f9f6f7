package fr.acclermont.gateway.server;

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
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Objects fetched from the origin in slices (DESIGN.md, "Units" and "The in-flight slice"): a
 * cold object is fetched as {@code Range: bytes=0-1048575}, {@code bytes=1048576-2097151}, ...,
 * each slice once whoever asks for it, and never the same byte twice; every client is streamed
 * the bytes as they arrive; a failed slice breaks only the responses that needed it; an origin
 * that answers 200 to a range is streamed whole and stored.
 *
 * <p>Real sockets against the demo origin, whose stats record each request's {@code Range}
 * header and each object byte sent. The gateway has 1 MiB slices and a 512 MiB memory tier, so
 * the 200 MiB object of the random-range test fits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlicedStreamingTest {

  private static final long MIB = 1L << 20;
  private static final long SLICE = MIB;
  private static final int STUDENTS = 35;
  /** Every wait on a client or the origin ends by then. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Pattern CLOSED_RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

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

  @Test
  void versionChangingBetweenSlices_firstResponseNeverMixed_nextWholeVersion2() throws Exception {
    String path = "/blobs/5MiB/changes-between-slices";
    String target = path + "?version-after=1"; // the first origin request sees version 1, later ones 2
    long length = 5 * MIB;
    String version1Etag = originEtag(path);
    String version2Etag = originEtag(path + "?version-after=0");

    Response first;
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      first = client.get(target).read();
    } catch (SocketTimeoutException hung) {
      throw hung;
    } catch (IOException closedBeforeTheHead) {
      first = null;
    }
    Response next = download(target);

    if (first != null && first.complete()) {
      assertThat(first.header("ETag")).isEqualTo(version1Etag);
      assertThat(first.sha256()).as("a complete first response is version 1 alone")
          .isEqualTo(ExpectedContent.sha256(path, length, 1));
    } else if (first != null && first.status() < 500) {
      assertThat(first.header("ETag")).isEqualTo(version1Etag);
      assertBytes(first, path, 0, (int) first.bodyLength(), 1, "the cut first response, version 1 only");
    }
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.header("ETag")).isEqualTo(version2Etag);
    assertWhole(next, length, ExpectedContent.sha256(path, length, 2));
  }

  @Test
  void originIgnoringRanges_wholeObjectStreamedAndStored_rangeThenHit() throws Exception {
    String path = "/blobs/5MiB/origin-without-ranges";
    String target = path + "?no-ranges=1";
    long length = 5 * MIB;

    Response whole = download(target);
    assertWhole(whole, length, ExpectedContent.sha256(path, length));
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);

    Response part = get(target, "Range: bytes=1000-1999");
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.header("Content-Range")).isEqualTo("bytes 1000-1999/" + length);
    assertThat(part.header("Cache-Status")).contains("hit");
    assertBytes(part, path, 1000, 1000, 1, "bytes=1000-1999");
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void suffixRange_coldObject_lastBytes() throws Exception {
    String path = "/blobs/3MiB/cold-suffix";
    long length = 3 * MIB;

    Response r = get(path, "Range: bytes=-1000");

    assertThat(r.status()).isEqualTo(206);
    assertThat(r.header("Content-Range")).isEqualTo("bytes " + (length - 1000) + "-" + (length - 1) + "/" + length);
    assertBytes(r, path, length - 1000, 1000, 1, "bytes=-1000");
  }

  @Test
  void openRange_coldObject_toTheEnd() throws Exception {
    String path = "/blobs/5MiB/cold-open";
    long length = 5 * MIB;

    Response r = get(path, "Range: bytes=3000000-");

    assertThat(r.status()).isEqualTo(206);
    assertThat(r.header("Content-Range")).isEqualTo("bytes 3000000-" + (length - 1) + "/" + length);
    assertBytes(r, path, 3_000_000, (int) (length - 3_000_000), 1, "bytes=3000000-");
  }

  @Test
  void rangePastTheEnd_coldObject_unsatisfiable() throws Exception {
    String path = "/blobs/5MiB/cold-beyond";

    Response r = get(path, "Range: bytes=999999999-");

    assertThat(r.status()).isEqualTo(416);
    assertThat(r.header("Content-Range")).isEqualTo("bytes */" + 5 * MIB);
  }

  @Test
  void ifRange_currentEtag_coldObject_range() throws Exception {
    String path = "/blobs/2MiB/cold-if-range-current";

    Response r = get(path, "Range: bytes=0-9", "If-Range: " + originEtag(path));

    assertThat(r.status()).isEqualTo(206);
    assertBytes(r, path, 0, 10, 1, "bytes=0-9");
  }

  @Test
  void ifRange_otherEtag_coldObject_wholeBody() throws Exception {
    String path = "/blobs/2MiB/cold-if-range-other";
    long length = 2 * MIB;

    Response r = get(path, "Range: bytes=0-9", "If-Range: \"not-the-current-one\"");

    assertWhole(r, length, ExpectedContent.sha256(path, length));
  }

  @Test
  void rangeInsideOneSlice_coldObject_originFetchesOnlyFromThatSlice() throws Exception {
    String path = "/blobs/20MiB/cold-middle";
    long sliceStart = 5 * SLICE;
    long sliceEnd = sliceStart + SLICE - 1;

    Response r = get(path, "Range: bytes=5242880-5308415");

    assertThat(r.status()).isEqualTo(206);
    assertThat(r.header("Content-Range")).isEqualTo("bytes 5242880-5308415/" + 20 * MIB);
    assertBytes(r, path, 5_242_880, 65_536, 1, "bytes=5242880-5308415");
    OriginStats origin = env.origin().stats();
    // Checked for a while: filling the rest of the slice may go on after the answer.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(origin.rangeHeaders(path)).isNotEmpty().allSatisfy(range -> {
        long[] firstLast = parseRange(range);
        assertThat(firstLast[0]).as(range).isBetween(sliceStart, sliceEnd);
        assertThat(firstLast[1]).as(range).isBetween(firstLast[0], sliceEnd);
      });
      assertThat(origin.bodyBytes(path)).isLessThanOrEqualTo(SLICE);
    });
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

  @Test
  void head_storedObject_headersFromTheCacheWithoutBody() throws Exception {
    String path = "/blobs/3MiB/head-stored";
    download(path);
    long requestsBefore = env.origin().stats().requests(path);
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response head = client.request("HEAD", path).readHead();
      Response after = client.get("/blobs/10/head-stored-next").read(); // still in sync: no body came

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Long.toString(3 * MIB));
      assertThat(head.header("Cache-Status")).contains("hit");
      assertThat(after.status()).isEqualTo(200);
      assertThat(after.bodyLength()).isEqualTo(10);
    }
    assertThat(env.origin().stats().requests(path)).isEqualTo(requestsBefore);
  }

  @Test
  void head_coldObject_noBodyBytesFromTheOrigin() throws Exception {
    String path = "/blobs/3MiB/head-cold";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      Response head = client.request("HEAD", path).readHead();

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Long.toString(3 * MIB));
    }
    // Checked for a while: a fetch started by the HEAD could still be streaming.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> env.origin().stats().bodyBytes(path) == 0);
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

  private static Response get(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target, headers).read();
    }
  }

  /** The current {@code ETag} of {@code target}, asked of the origin directly. */
  private static String originEtag(String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.origin().port())) {
      return client.request("HEAD", target).readHead().header("ETag");
    }
  }

  /** Waits (bounded) for the origin's count of body bytes sent for {@code path} to reach {@code bytes}. */
  private static void awaitOriginBodyBytes(String path, long bytes) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(
        () -> assertThat(env.origin().stats().bodyBytes(path)).isEqualTo(bytes));
  }

  private static void assertWhole(Response r, long length, String sha256) {
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.complete()).as("complete").isTrue();
    assertThat(r.bodyLength()).isEqualTo(length);
    assertThat(r.sha256()).isEqualTo(sha256);
  }

  /** Compares digests, so a mismatch prints two lines rather than two byte arrays. */
  /** For a wrong body: zeros, or the object's bytes at the same place of another slice, or unknown. */
  private static String whereFrom(byte[] body, String path, long offset, int version) {
    int probe = Math.min(body.length, 4096);
    boolean zeros = true;
    for (int i = 0; i < probe && zeros; i++) {
      zeros = body[i] == 0;
    }
    if (zeros) {
      return "the first " + probe + " bytes are zeros";
    }
    long length = 200 * MIB;
    byte[] head = Arrays.copyOf(body, probe);
    for (long at = offset % SLICE; at + probe <= length; at += SLICE) {
      if (Arrays.equals(head, ExpectedContent.bytes(path, at, probe, version))) {
        return "they are the object's bytes at " + at + " (slice " + at / SLICE + ")";
      }
    }
    return "not the object's bytes at the same place of any slice";
  }

  private static void assertBytes(Response r, String path, long offset, int length, int version, String what) {
    assertThat(r.bodyLength()).as(what + ": length").isEqualTo(length);
    byte[] expected = ExpectedContent.bytes(path, offset, length, version);
    if (!Arrays.equals(r.body(), expected)) {
      assertThat(TestHttpClient.sha256(r.body())).as(what + ": bytes (first difference at %d; %s; Cache-Status %s)",
          Arrays.mismatch(r.body(), expected), whereFrom(r.body(), path, offset, version),
          r.header("Cache-Status")).isEqualTo(TestHttpClient.sha256(expected));
    }
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

  /** {first, last} of a closed {@code bytes=first-last} range; fails on any other form. */
  private static long[] parseRange(String range) {
    assertThat(range).as("Range header of an origin request").isNotNull().matches(CLOSED_RANGE);
    Matcher matcher = CLOSED_RANGE.matcher(range);
    assertThat(matcher.matches()).isTrue();
    return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
  }
}
