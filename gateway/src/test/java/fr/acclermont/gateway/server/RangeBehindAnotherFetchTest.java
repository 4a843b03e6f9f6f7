package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.testing.HeldOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reader whose range begins in bytes another reader's fetch is bringing, and goes on past them:
 * it fetches its own missing bytes at once, beside that fetch, rather than after it (issue #21:
 * the tail of cold random ranges, where a range overlapping another's waited for both fetches one
 * after the other). Real sockets; the origin holds the other reader's fetch halfway until the test
 * releases it, so the order is certain.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RangeBehindAnotherFetchTest {

  private static final String PATH = "/blobs/held-ranges";
  private static final int KIB = 1024;

  @Test
  void rangeStartingInAnotherReadersFetch_fetchesItsOwnBytesBeforeThatFetchEnds() throws Exception {
    try (HeldOrigin origin = HeldOrigin.start();
        Gateway gateway = TestGateways.start(origin.baseUri(), "cache: { slice-size: 1MiB }\n", Clock.systemUTC());
        TestHttpClient first = TestHttpClient.connect(gateway.port());
        TestHttpClient second = TestHttpClient.connect(gateway.port())) {
      // The first reader's probe: bytes 0-64 KiB, held by the origin after its first 32 KiB.
      first.get(PATH, "Range: bytes=0-65535");
      assertThat(origin.ranges().poll(30, TimeUnit.SECONDS)).isEqualTo("bytes=0-65535");
      assertThat(origin.awaitFirstHalf(30)).isTrue();

      // The second reader wants 48-128 KiB: 16 KiB of them are the first reader's, still coming.
      second.get(PATH, "Range: bytes=49152-131071");
      assertThat(origin.ranges().poll(10, TimeUnit.SECONDS))
          .as("its own missing bytes, asked while the first fetch is held")
          .isEqualTo("bytes=65536-131071");

      origin.release();
      Response own = second.read();
      Response other = first.read();
      assertThat(own.status()).isEqualTo(206);
      assertThat(own.header("Content-Range")).isEqualTo("bytes 49152-131071/" + HeldOrigin.BODY.length);
      assertThat(own.body()).isEqualTo(Arrays.copyOfRange(HeldOrigin.BODY, 48 * KIB, 128 * KIB));
      assertThat(other.body()).isEqualTo(Arrays.copyOfRange(HeldOrigin.BODY, 0, 64 * KIB));
      assertThat(gateway.metrics().registry().get("gateway.coalesced.requests").counter().count())
          .as("the second reader waited on another's fetch; the first on its own only").isEqualTo(1);

      // Then the background fill of the rest of the slice, from where the two readers' bytes end:
      // awaited, so that no fill is in flight when the gateway closes.
      CacheKey key = new CacheKey("cloud", PATH);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        StoredObject object = gateway.memory().object(key);
        return object != null && gateway.memory().allPresent(object, 0, 1024 * KIB);
      });
      assertThat(origin.ranges()).as("no byte asked twice")
          .allSatisfy(range -> assertThat(Long.parseLong(range.substring(6, range.indexOf('-')))).isGreaterThanOrEqualTo(128 * KIB));
    }
  }
}
