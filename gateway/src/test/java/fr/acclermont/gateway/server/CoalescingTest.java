package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.SliceRanges;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A class opening the same object at once: one probe for the head, then one range request per
 * slice, each byte crossing the uplink once, every client streamed from those fetches as the bytes
 * arrive, each at its own pace; a failure reaches only the clients waiting on the failed slice.
 */
class CoalescingTest {

  private static final int SLICE = SliceRanges.SLICE;
  private static final String PROBE = SliceRanges.PROBE;
  private static final String LED = "edge; fwd=miss; fwd-status=200; stored";
  private static final String COLLAPSED = "edge; fwd=miss; fwd-status=200; collapsed";
  private static final String PARTIAL = "edge; fwd=partial; stored";
  private static final String PASSED = "edge; fwd=miss; fwd-status=200";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private static final ExecutorService students = Executors.newFixedThreadPool(35);

  @AfterAll
  static void stopStudents() {
    students.shutdownNow();
  }

  private static List<Response> concurrently(int clients, Callable<Response> request) throws Exception {
    List<Future<Response>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      futures.add(students.submit(request));
    }
    List<Response> responses = new ArrayList<>();
    for (Future<Response> future : futures) {
      responses.add(future.get(60, TimeUnit.SECONDS));
    }
    return responses;
  }

  private static Response download(String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target).readDigestOnly();
    }
  }

  private static OriginStats origin() {
    return env.origin().stats();
  }

  private static double coalesced() {
    return env.gateway().metrics().registry().get("gateway.coalesced.requests").counter().count();
  }

  @Test
  void thirtyFiveClients_coldObject_oneRequestPerSliceAndIdenticalBytes() throws Exception {
    String path = "/blobs/20MiB/class-of-35";
    String target = path + "?delay=300"; // every student arrives while the origin prepares the probe's answer
    String expected = ExpectedContent.sha256(path, 20 << 20);
    double coalescedBefore = coalesced();

    List<Response> responses = concurrently(35, () -> download(target));

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.complete()).isTrue();
      assertThat(r.sha256()).isEqualTo(expected);
    });
    assertThat(responses).extracting(r -> r.header("Cache-Status"))
        .containsOnly(LED, COLLAPSED)
        .containsOnlyOnce(LED);
    assertThat(coalesced() - coalescedBefore).isEqualTo(34);
    // 20 slices, 20 range requests: the probe brought the first, each byte crossed the uplink once.
    assertThat(origin().requests(path)).as("%s", origin().rangeHeaders(path)).isEqualTo(20);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(20 << 20));
    assertThat(origin().rangeHeaders(path).get(0)).isEqualTo(PROBE);
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void leaderDisconnectingAtOnce_probeStillFillsItsSlice_theRestOnlyWhenRead() throws Exception {
    String path = "/blobs/2MiB/nobody-waits";
    String target = path + "?delay=200";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.get(target); // and leaves before the origin answers
    }
    awaitPresent(target, 0, SLICE);

    // Nobody reads on, so the second slice is not fetched.
    assertThat(origin().requests(path)).isEqualTo(1);
    assertThat(origin().rangeHeaders(path)).containsExactly(PROBE);
    Response next = download(target);
    Response after = download(target);

    assertThat(next.header("Cache-Status")).isEqualTo(PARTIAL);
    assertThat(next.sha256()).isEqualTo(ExpectedContent.sha256(path, 2 << 20));
    assertThat(after.header("Cache-Status")).startsWith("edge; hit");
    assertThat(after.sha256()).isEqualTo(ExpectedContent.sha256(path, 2 << 20));
    assertThat(origin().requests(path)).isEqualTo(2);
    assertThat(origin().rangeHeaders(path)).containsExactlyElementsOf(SliceRanges.of(2 << 20));
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  /** Waits until the bytes {@code [from, to)} of the object stored for {@code target} are all present. */
  private static void awaitPresent(String target, long from, long to) {
    CacheKey key = new CacheKey("cloud", target);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      StoredObject object = env.gateway().memory().object(key);
      return object != null && env.gateway().memory().allPresent(object, from, to);
    });
  }

  @Test
  void slowClient_doesNotSlowTheOthers() throws Exception {
    String path = "/blobs/8MiB/slow-among-fast";
    String target = path + "?delay=300";
    try (TestHttpClient slow = TestHttpClient.connect(env.gateway().port(), 32 * 1024)) {
      slow.get(target); // leads the probe
      assertThat(slow.readRaw(64 * 1024)).isEqualTo(64 * 1024); // then it stops reading for a while

      List<Response> fast = concurrently(5, () -> download(target));

      // They come after the head: each reads what is there and waits for, or fetches, the rest.
      assertThat(fast).allSatisfy(r -> {
        assertThat(r.complete()).isTrue();
        assertThat(r.sha256()).isEqualTo(ExpectedContent.sha256(path, 8 << 20));
        assertThat(r.header("Cache-Status")).isEqualTo(PARTIAL);
      });
      long rest = slow.readRaw((8L << 20) - 64 * 1024); // then it reads the rest, all of it there
      assertThat(rest).isEqualTo((8L << 20) - 64 * 1024);
    }
    assertThat(origin().requests(path)).isEqualTo(8);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(8 << 20));
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void oneClientAborting_doesNotDisturbTheOthers() throws Exception {
    String path = "/blobs/8MiB/one-aborts";
    String target = path + "?delay=300";
    Future<Response> aborter = students.submit(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        client.get(target);
        client.readRaw(1 << 20);
        return null; // closes mid-body
      }
    });
    List<Response> others = concurrently(5, () -> download(target));
    aborter.get(30, TimeUnit.SECONDS);

    assertThat(others).allSatisfy(r -> {
      assertThat(r.complete()).isTrue();
      assertThat(r.sha256()).isEqualTo(ExpectedContent.sha256(path, 8 << 20));
      assertThat(r.header("Cache-Status")).isIn(LED, COLLAPSED, PARTIAL);
    });
    // The fetches the aborter led or shared went on: no slice was fetched twice.
    assertThat(origin().requests(path)).isEqualTo(8);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(8 << 20));
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void originResetMidBody_clientsWaitingOnThatSliceAreCut_andTheNextRequestFetchesOnlyItAgain() throws Exception {
    String path = "/blobs/4MiB/resets-for-all";
    // The second slice's fetch is reset before its first byte, once; every client has read the
    // first slice by then (the fetch waits 300 ms at the origin) and waits on the second.
    String target = path + "?delay=300&reset-once-at=" + SLICE;

    List<Response> responses = concurrently(5, () -> download(target));

    // The head went out before the failure: a 200 whose body stops at the broken slice, never a
    // body that looks complete; no 502, since the probe itself succeeded.
    assertThat(responses).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.complete()).isFalse();
      assertThat(r.bodyLength()).isEqualTo(SLICE);
    });
    // The probe, the reset slice, and the read-ahead of the third slice (which completes).
    assertThat(origin().requests(path)).isEqualTo(3);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(SliceRanges.of(3 * SLICE));

    Response next = download(target);

    assertThat(next.complete()).isTrue();
    assertThat(next.header("Cache-Status")).isEqualTo(PARTIAL);
    assertThat(next.sha256()).isEqualTo(ExpectedContent.sha256(path, 4 << 20));
    // Only what was missing: the broken slice again and the fourth one.
    List<String> expectedRanges = new ArrayList<>(SliceRanges.of(4 << 20));
    expectedRanges.add(SliceRanges.of(4 << 20).get(1));
    assertThat(origin().requests(path)).isEqualTo(5);
    assertThat(origin().rangeHeaders(path)).containsExactlyInAnyOrderElementsOf(expectedRanges);
    assertThat(origin().bytesSentMoreThanOnce(path)).isZero();
  }

  @Test
  void probeFailingBeforeTheHead_everyCollapsedClientGets502() throws Exception {
    String path = "/blobs/1MiB/no-head-for-anyone";
    String target = path + "?delay=300&close-before-headers=1";

    List<Response> responses = concurrently(5, () -> download(target));

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("Cache-Status")).isEqualTo("edge; fwd=miss");
    });
    // One probe for all (retried once if it went out on a pooled connection); a failure is not
    // remembered as a pass, so the probes carry the slice range.
    assertThat(origin().requests(path)).isBetween(1L, 2L);
    assertThat(origin().rangeHeaders(path)).containsOnly(PROBE);
  }

  @Test
  void notShareableResponse_eachClientFetchesOnItsOwn() throws Exception {
    String path = "/blobs/1MiB/private-to-each";
    String target = path + "?delay=300&cc=private";

    List<Response> responses = concurrently(5, () -> download(target));
    Response later = download(target);

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.sha256()).isEqualTo(ExpectedContent.sha256(path, 1 << 20));
      assertThat(r.header("Cache-Status")).isEqualTo(PASSED);
    });
    assertThat(later.header("Cache-Status")).isEqualTo(PASSED);
    // The probe, dropped at its private head; then a pass-through per client, the later one
    // straight away (the key is remembered: no probe first).
    List<String> expectedRanges = new ArrayList<>(Collections.nCopies(6, (String) null));
    expectedRanges.add(0, PROBE);
    assertThat(origin().requests(path)).isEqualTo(7);
    assertThat(origin().rangeHeaders(path)).containsExactlyElementsOf(expectedRanges);
  }
}
