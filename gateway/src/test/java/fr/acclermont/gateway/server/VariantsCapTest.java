package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code cache.max-variants}: a client sending a new value of a field a URL varies on each time
 * (an {@code Accept-Language} of its own) gets the origin's answer passed through, unstored, once
 * the URL holds the most variants allowed; the variants stored stay hits, and each refusal is
 * counted in {@code gateway_cache_variants_refused_total}. Default cap: 32.
 */
class VariantsCapTest {

  private static final String STORED = "edge; fwd=miss; fwd-status=200; stored";

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension("", Clock.systemUTC());

  private static Response get(String target, String... headers) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target, headers).read();
    }
  }

  private static OriginStats origin() {
    return env.origin().stats();
  }

  private static double refused() {
    return env.gateway().metrics().registry().get("gateway.cache.variants.refused").functionCounter().count();
  }

  @Test
  void thirtyThirdVariant_passedThroughUnstored_firstThirtyTwoStayHits() throws Exception {
    String path = "/blobs/8KiB/by-language";
    String target = path + "?vary=Accept-Language";
    double refusedBefore = refused();
    for (int i = 0; i < 32; i++) {
      Response first = get(target, "Accept-Language: l" + i);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("Cache-Status")).as("variant %d", i).isEqualTo(STORED);
    }
    assertThat(origin().requests(path)).isEqualTo(32);

    // The 33rd variant, twice: passed through each time (one origin request each), never stored.
    for (int round = 0; round < 2; round++) {
      Response extra = get(target, "Accept-Language: l32");
      assertThat(extra.status()).isEqualTo(200);
      assertThat(extra.header("Cache-Status")).isEqualTo("edge; fwd=miss; fwd-status=200");
      assertThat(extra.sha256()).isEqualTo(ExpectedContent.sha256(path, 8 << 10));
    }
    assertThat(origin().requests(path)).isEqualTo(34);
    assertThat(refused() - refusedBefore).isEqualTo(2);

    // The 32 stored variants are still hits: not one more origin request.
    for (int i = 0; i < 32; i++) {
      Response again = get(target, "Accept-Language: l" + i);
      assertThat(again.header("Cache-Status")).as("variant %d", i).startsWith("edge; hit");
      assertThat(again.sha256()).isEqualTo(ExpectedContent.sha256(path, 8 << 10));
    }
    assertThat(origin().requests(path)).isEqualTo(34);
    assertThat(refused() - refusedBefore).isEqualTo(2);
  }

  @Test
  void randomValues_manyRequests_neverMoreThanTheCapStored() throws Exception {
    String path = "/blobs/4KiB/by-random-header";
    String target = path + "?vary=X-Random";
    double refusedBefore = refused();
    for (int i = 0; i < 100; i++) {
      assertThat(get(target, "X-Random: " + Integer.toHexString(i * 7919)).status()).isEqualTo(200);
    }
    assertThat(origin().requests(path)).isEqualTo(100);
    assertThat(refused() - refusedBefore).isEqualTo(68);
    // Each of the 100 values again: 32 hits, 68 pass-throughs.
    int hits = 0;
    for (int i = 0; i < 100; i++) {
      if (get(target, "X-Random: " + Integer.toHexString(i * 7919)).header("Cache-Status").startsWith("edge; hit")) {
        hits++;
      }
    }
    assertThat(hits).isEqualTo(32);
    assertThat(origin().requests(path)).isEqualTo(168);
  }

  @Test
  void unsafeRequestOnUrl_forgetsItsVariants_newOnesStoredAgain() throws Exception {
    String path = "/blobs/4KiB/by-language-invalidated";
    String target = path + "?vary=Accept-Language";
    for (int i = 0; i < 33; i++) {
      get(target, "Accept-Language: v" + i);
    }
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      assertThat(client.request("POST", target, "Content-Length: 0").read().status()).isLessThan(400);
    }
    long before = origin().requests(path);

    assertThat(get(target, "Accept-Language: v32").header("Cache-Status")).isEqualTo(STORED);
    assertThat(get(target, "Accept-Language: v32").header("Cache-Status")).startsWith("edge; hit");
    assertThat(origin().requests(path)).isEqualTo(before + 1);
  }
}
