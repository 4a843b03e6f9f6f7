package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.demo.OriginStats.SentRange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hooks that tests of sliced fetching rely on: {@code version-after} (the object changes
 * between two requests), {@code reset-once-at} (one reset at an object offset), and how
 * {@code reset-after} and {@code no-ranges} treat a {@code Range} request.
 */
@Timeout(30)
class DemoOriginVersionAndRangeHooksTest {

  private static final long SEED = 1;

  private static DemoOrigin origin;

  @BeforeAll
  static void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().seed(SEED).build());
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @Test
  void versionAfter_n_firstNRequestsVersion1ThenVersion2() throws Exception {
    String path = "/blobs/64KiB/changes";
    String target = path + "?version-after=2";
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response first = connection.send("HEAD", target).read(true); // HEAD counts too
      RawConnection.Response second = connection.send("GET", target).read(false);
      RawConnection.Response third = connection.send("GET", target).read(false);
      RawConnection.Response fourth = connection.send("GET", target).read(false);

      assertThat(first.header("etag")).isEqualTo(second.header("etag"));
      assertThat(second.body()).isEqualTo(SyntheticContent.bytes(path, 0, 65536, SEED));
      assertThat(third.header("etag")).isNotEqualTo(second.header("etag"));
      assertThat(millis(third, "last-modified") - millis(second, "last-modified"))
          .isEqualTo(Duration.ofDays(1).toMillis());
      assertThat(third.header("content-length")).isEqualTo("65536");
      assertThat(third.body()).isEqualTo(SyntheticContent.bytes(path + "#v2", 0, 65536, SEED));
      assertThat(fourth.header("etag")).isEqualTo(third.header("etag"));
      assertThat(fourth.body()).isEqualTo(third.body());
    }
  }

  @Test
  void versionAfter_zero_version2FromTheFirstRequest() throws Exception {
    String path = "/blobs/1KiB/v2-at-once";
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response plain = connection.send("GET", path).read(false);
      RawConnection.Response changed = connection.send("GET", path + "?version-after=0").read(false);

      assertThat(changed.header("etag")).isNotEqualTo(plain.header("etag"));
      assertThat(changed.body()).isEqualTo(SyntheticContent.bytes(path + DemoContent.VERSION_2_SUFFIX, 0, 1024, SEED));
    }
  }

  @Test
  void versionAfter_countedPerPathAndValue_othersUndisturbed() throws Exception {
    String a = "/blobs/1KiB/count-a";
    String b = "/blobs/1KiB/count-b";
    try (RawConnection connection = new RawConnection(origin.port())) {
      String v1 = connection.send("GET", a + "?version-after=1").read(false).header("etag");
      String otherPath = connection.send("GET", b + "?version-after=1").read(false).header("etag");
      String otherValue = connection.send("GET", a + "?version-after=2").read(false).header("etag");
      String v2 = connection.send("GET", a + "?version-after=1").read(false).header("etag");

      assertThat(otherPath).isEqualTo(connection.send("GET", b).read(false).header("etag"));
      assertThat(otherValue).isEqualTo(v1);
      assertThat(v2).isNotEqualTo(v1);
    }
  }

  @Test
  void versionAfter_rangeAndIfRange_evaluatedAgainstTheVersionServed() throws Exception {
    String path = "/blobs/1MiB/ranged-change";
    String target = path + "?version-after=1";
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response slice = connection.send("GET", target, "Range: bytes=0-999").read(false);
      RawConnection.Response next = connection.send("GET", target, "Range: bytes=1000-1999",
          "If-Range: " + slice.header("etag")).read(false);
      RawConnection.Response ranged = connection.send("GET", target, "Range: bytes=1000-1999").read(false);

      assertThat(slice.status()).isEqualTo(206);
      assertThat(slice.body()).isEqualTo(SyntheticContent.bytes(path, 0, 1000, SEED));
      assertThat(next.status()).isEqualTo(200); // If-Range names version 1: the whole version 2
      assertThat(next.body()).isEqualTo(SyntheticContent.bytes(path + "#v2", 0, 1 << 20, SEED));
      assertThat(ranged.status()).isEqualTo(206);
      assertThat(ranged.body()).isEqualTo(SyntheticContent.bytes(path + "#v2", 1000, 1000, SEED));
    }
  }

  @Test
  void fillVersion2_demoContent_theBytesServedAsVersion2() {
    ByteBuf buffer = Unpooled.buffer(100);
    try {
      assertThat(DemoContent.of(SEED).fillVersion2(buffer, "/blobs/1MiB/x", 5000, 100)).isTrue();
      byte[] bytes = new byte[100];
      buffer.readBytes(bytes);

      assertThat(bytes).isEqualTo(SyntheticContent.bytes("/blobs/1MiB/x#v2", 5000, 100, SEED));
      assertThat(DemoContent.of(SEED).fillVersion2(buffer, "/blobs/1MiB/x", (1 << 20) - 1, 2)).isFalse();
    } finally {
      buffer.release();
    }
  }

  @Test
  void resetOnceAt_offset_firstResponseContainingItIsCutThereThenWhole() throws Exception {
    String path = "/blobs/4MiB/reset-once";
    String target = path + "?reset-once-at=2500000";
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response before = connection.send("GET", target, "Range: bytes=0-1048575").read(false);
      connection.send("HEAD", target).read(true); // no body: never fires
      assertThat(before.body()).isEqualTo(SyntheticContent.bytes(path, 0, 1 << 20, SEED));
      RawConnection.Head cut = connection.send("GET", target, "Range: bytes=2097152-3145727").readHead();
      assertThat(cut.status()).isEqualTo(206);
      OriginStatsTest.drainUntilBroken(connection);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> origin.stats().bytes(path) == (1 << 20) + 402_848);
    assertThat(origin.stats().sentRanges(path))
        .containsExactly(new SentRange(0, 1 << 20), new SentRange(2_097_152, 2_500_000));

    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response again = connection.send("GET", target, "Range: bytes=2097152-3145727").read(false);
      RawConnection.Response whole = connection.send("GET", target).read(false);

      assertThat(again.body()).isEqualTo(SyntheticContent.bytes(path, 2_097_152, 1 << 20, SEED));
      assertThat(whole.body()).hasSize(4 << 20);
    }
  }

  @Test
  void resetOnceAt_withNoRanges_wholeBodyCutAtTheOffsetOnce() throws Exception {
    String path = "/blobs/2MiB/reset-once-whole";
    String target = path + "?no-ranges=1&reset-once-at=1500000";
    try (RawConnection connection = new RawConnection(origin.port())) {
      assertThat(connection.send("GET", target, "Range: bytes=0-1048575").readHead().status()).isEqualTo(200);
      OriginStatsTest.drainUntilBroken(connection);
    }
    try (RawConnection connection = new RawConnection(origin.port())) {
      assertThat(connection.send("GET", target).read(false).body()).hasSize(2 << 20);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> origin.stats().bytes(path) == 1_500_000 + (2 << 20));
    assertThat(origin.stats().sentRanges(path)).first().isEqualTo(new SentRange(0, 1_500_000));
  }

  @Test
  void resetAfter_rangeRequest_countsTheBytesOfThisResponsesBody() throws Exception {
    String path = "/blobs/1MiB/reset-in-range";
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Head head = connection.send("GET", path + "?reset-after=1000", "Range: bytes=500000-999999")
          .readHead();
      assertThat(head.status()).isEqualTo(206);
      OriginStatsTest.drainUntilBroken(connection);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> origin.stats().bytes(path) == 1000);
    assertThat(origin.stats().sentRanges(path)).containsExactly(new SentRange(500_000, 501_000));
  }

  @Test
  void resetAfter_everyRequest_firesAgain() throws Exception {
    String path = "/blobs/1MiB/reset-every-time";
    for (int i = 0; i < 2; i++) {
      try (RawConnection connection = new RawConnection(origin.port())) {
        connection.send("GET", path + "?reset-after=1000").readHead();
        OriginStatsTest.drainUntilBroken(connection);
      }
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> origin.stats().bytes(path) == 2000);
    assertThat(origin.stats().sentRanges(path)).containsExactly(new SentRange(0, 1000), new SentRange(0, 1000));
  }

  @Test
  void noRanges_rangeRequest_wholeBodyAndTheRangeStillRecorded() throws Exception {
    String path = "/blobs/64KiB/no-ranges-recorded";
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response response = connection.send("GET", path + "?no-ranges=1", "Range: bytes=0-9").read(false);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("content-range")).isNull();
      assertThat(response.body()).hasSize(65536);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> origin.stats().bytes(path) == 65536);
    assertThat(origin.stats().rangeHeaders(path)).containsExactly("bytes=0-9");
    assertThat(origin.stats().sentRanges(path)).containsExactly(new SentRange(0, 65536));
  }

  private static long millis(RawConnection.Response response, String header) {
    return DateFormatter.parseHttpDate(response.header(header)).getTime();
  }
}
