package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only what is missing or stale is fetched: a held fresh object costs no request, a held stale one
 * one conditional request (answered 304, its bytes kept), a partly held one only its missing bytes.
 * What a prefetch stores is what a tablet gets: the same key and variant.
 */
class PrefetchFreshnessTest {

  @TempDir
  Path dir;

  private static void awaitDone(Gateway gateway) {
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
        == PrefetchStatus.State.DONE);
  }

  @Test
  void secondRun_freshSkipped_staleRevalidatedWith304() throws Exception {
    MutableClock clock = new MutableClock();
    Path list = Files.writeString(dir.resolve("prefetch.txt"), "/books/fresh.txt\n/books/stale.txt\n");
    try (ScriptedOrigin origin = ScriptedOrigin.start(0, clock);
        Gateway gateway = TestGateways.start(origin.baseUri(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 0 }", clock)) {
      origin.answer("/books/fresh.txt", new ScriptedOrigin.Answer(200, "fresh for an hour",
          "Cache-Control", "max-age=3600", "ETag", "\"f1\""));
      origin.answer("/books/stale.txt", new ScriptedOrigin.Answer(200, "fresh for a minute",
          "Cache-Control", "max-age=60", "ETag", "\"s1\""));

      gateway.prefetcher().startNow();
      awaitDone(gateway);
      clock.advance(Duration.ofMinutes(2));
      gateway.prefetcher().startNow();
      await().atMost(Duration.ofSeconds(20)).until(() -> origin.received("/books/stale.txt").size() == 2
          && gateway.prefetcher().status().state() == PrefetchStatus.State.DONE);

      assertThat(origin.received("/books/fresh.txt")).as("fresh: no request").hasSize(1);
      List<ScriptedOrigin.Received> stale = origin.received("/books/stale.txt");
      assertThat(stale.get(0).header("If-None-Match")).isNull();
      assertThat(stale.get(1).header("If-None-Match")).isEqualTo("\"s1\"");
      assertThat(stale.get(1).header("User-Agent")).isEqualTo("textbook-gateway-prefetch");
      PrefetchStatus status = gateway.prefetcher().status();
      assertThat(status.objectsDone()).isEqualTo(2);
      assertThat(status.bytes()).as("a 304 brings no body").isZero();
      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        TestHttpClient.Response response = client.get("/books/stale.txt").read();
        assertThat(response.text()).isEqualTo("fresh for a minute");
        assertThat(response.header("cache-status")).startsWith("edge; hit");
      }
      assertThat(origin.received("/books/stale.txt")).hasSize(2);
    }
  }

  @Test
  void partlyHeld_onlyTheMissingBytesFetched() throws Exception {
    String path = "/blobs/1MiB/partly-held";
    Path list = Files.writeString(dir.resolve("prefetch.txt"), path + "\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
        Gateway gateway = TestGateways.start(origin.baseUri(), """
            cache: { slice-size: 256KiB }
            prefetch: { lists: ["%s"], max-rate: 0 }
            """.formatted(list), Clock.systemUTC())) {
      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        assertThat(client.get(path, "Range: bytes=300000-300999").read().status()).isEqualTo(206);
      }

      gateway.prefetcher().startNow();
      awaitDone(gateway);

      assertThat(origin.stats().bodyBytes(path)).isEqualTo(1024 * 1024);
      assertThat(origin.stats().bytesSentMoreThanOnce(path)).isZero();
      assertThat(gateway.prefetcher().status().bytes()).isLessThan(1024 * 1024);
      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        TestHttpClient.Response whole = client.get(path).read();
        assertThat(whole.bodyLength()).isEqualTo(1024 * 1024);
        assertThat(whole.header("cache-status")).startsWith("edge; hit");
      }
    }
  }

  @Test
  void variantOfAnOriginVaryingOnAcceptEncoding_isTheOneTabletsGet() throws Exception {
    String asset = "/books/maths-6e/assets/css/style-000.css";
    Path list = Files.writeString(dir.resolve("prefetch.txt"), asset + "\n");
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder()
            .profile(fr.acclermont.gateway.demo.OriginProfile.CDN).build());
        Gateway gateway = TestGateways.start(origin.baseUri(), origin.caFile().orElseThrow(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 0 }", Clock.systemUTC())) {

      gateway.prefetcher().startNow();
      awaitDone(gateway);
      long requests = origin.stats().requests(asset);

      try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
        TestHttpClient.Response ipad = client.get(asset, "Accept-Encoding: gzip, deflate, br").read();
        assertThat(ipad.header("cache-status")).startsWith("edge; hit");
        assertThat(ipad.header("content-encoding")).isEqualTo("br");
        TestHttpClient.Response identity = client.get(asset).read();
        assertThat(identity.header("cache-status")).contains("fwd=miss");
      }
      assertThat(requests).isEqualTo(1);
      assertThat(origin.stats().requests(asset)).as("only the identity variant was fetched after").isEqualTo(2);
    }
  }
}
