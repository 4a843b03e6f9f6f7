package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Offline with a copy that holds only part of an object (a PDF of which a class read the first
 * pages): what it holds is served stale, what it does not hold gets a 502 up front rather than a
 * response cut where the missing bytes begin.
 */
class OfflinePartialCopyTest {

  private static final String PATH = "/blobs/3MiB/partly-read.pdf";
  private static final String TARGET = PATH + "?cc=max-age%3D60";

  @Test
  void originDown_heldRangeServedStale_wholeObjectRefused() throws Exception {
    MutableClock clock = new MutableClock();
    DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    try (Gateway gateway = TestGateways.start(origin.baseUri(), "", clock)) {
      Response firstPage = get(gateway, TARGET, "Range: bytes=0-65535");
      // The rest of the first slice is filled in the background: wait until it is whole.
      await().atMost(Duration.ofSeconds(10)).until(() -> origin.stats().bodyBytes(PATH) >= 1 << 20);
      await().atMost(Duration.ofSeconds(10)).until(() -> get(gateway, TARGET, "Range: bytes=0-1048575")
          .header("Cache-Status").startsWith("edge; hit"));
      origin.close();
      clock.advance(Duration.ofSeconds(61));

      Response heldRange = get(gateway, TARGET, "Range: bytes=65536-131071");
      Response whole = get(gateway, TARGET);

      assertThat(firstPage.status()).isEqualTo(206);
      assertThat(heldRange.status()).isEqualTo(206);
      assertThat(heldRange.header("Cache-Status")).startsWith("edge; fwd=stale");
      assertThat(heldRange.sha256()).isEqualTo(TestHttpClient.sha256(ExpectedContent.bytes(PATH, 65536, 65536)));
      assertThat(whole.status()).isIn(502, 504);
    } finally {
      origin.close();
    }
  }

  private static Response get(Gateway gateway, String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(target, headers).read();
    }
  }
}
