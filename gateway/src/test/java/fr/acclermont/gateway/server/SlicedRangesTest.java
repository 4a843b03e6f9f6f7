package fr.acclermont.gateway.server;

import static fr.acclermont.gateway.server.SlicedBodies.MIB;
import static fr.acclermont.gateway.server.SlicedBodies.SLICE;
import static fr.acclermont.gateway.server.SlicedBodies.assertBytes;
import static fr.acclermont.gateway.server.SlicedBodies.assertWhole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One reader of an object fetched in slices (DESIGN.md, "Units"): ranges of a cold object (suffix,
 * open, past the end, If-Range, inside one slice, of which only that slice is fetched), HEAD
 * requests, an object whose version changes between two slices (never mixed in one response), and
 * an origin that answers 200 to a range (streamed whole and stored). Many readers at once:
 * {@link SlicedStreamingTest}.
 *
 * <p>Real sockets against the demo origin, whose stats record each request's {@code Range}
 * header and each object byte sent. The gateway has 1 MiB slices and a 512 MiB memory tier, as in
 * {@link SlicedStreamingTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlicedRangesTest {

  private static final Pattern CLOSED_RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

  @RegisterExtension
  static final GatewayExtension env =
      new GatewayExtension("cache: { memory: { max-bytes: 512MiB }, slice-size: 1MiB }\n");

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

  /** {first, last} of a closed {@code bytes=first-last} range; fails on any other form. */
  private static long[] parseRange(String range) {
    assertThat(range).as("Range header of an origin request").isNotNull().matches(CLOSED_RANGE);
    Matcher matcher = CLOSED_RANGE.matcher(range);
    assertThat(matcher.matches()).isTrue();
    return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
  }
}
