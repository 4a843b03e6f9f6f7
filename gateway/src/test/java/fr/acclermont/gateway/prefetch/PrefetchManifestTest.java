package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.demo.OriginProfile;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest entry of a list yields the book: the manifest itself, then its index page, PDF, video
 * and every asset (paths, relative references, absolute URLs of the origin); the demo origin's
 * manifest, stored brotli-compressed as a tablet asks for it, is read back from the cache.
 */
class PrefetchManifestTest {

  private static final String MANIFEST = """
      {"id": "m", "title": "M", "index": "/books/m/index.html",
       "pdf": {"path": "/books/m/book.pdf", "size": 4, "contentType": "application/pdf"},
       "video": {"path": "video.mp4", "size": 4, "contentType": "video/mp4"},
       "assets": [{"path": "/books/m/assets/a.css", "size": 4, "contentType": "text/css"},
                  {"path": "assets/b.js?v=2", "size": 4, "contentType": "text/javascript"},
                  {"path": "%s/books/m/assets/c.svg", "size": 4, "contentType": "image/svg+xml"},
                  {"path": "/books/m/assets/a.css", "size": 4, "contentType": "text/css"}]}
      """;

  @TempDir
  Path dir;

  @Test
  void manifest_yieldsIndexPdfVideoAndAssets_eachFetchedOnce() throws Exception {
    MutableClock clock = new MutableClock();
    Path list = Files.writeString(dir.resolve("prefetch.txt"), "/books/m/manifest.json\n/books/other.txt\n");
    try (ScriptedOrigin origin = ScriptedOrigin.start(0, clock);
        Gateway gateway = TestGateways.start(origin.baseUri(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 0 }", clock)) {
      origin.answer("/books/m/manifest.json", new ScriptedOrigin.Answer(200, MANIFEST.formatted(origin.baseUri()),
          "Content-Type", "application/json", "Cache-Control", "max-age=300"));
      for (String path : new String[] {"/books/m/index.html", "/books/m/book.pdf", "/books/m/video.mp4",
          "/books/m/assets/a.css", "/books/m/assets/b.js?v=2", "/books/m/assets/c.svg", "/books/other.txt"}) {
        origin.answer(path, new ScriptedOrigin.Answer(200, "body of " + path, "Cache-Control", "max-age=3600"));
      }

      gateway.prefetcher().startNow();
      await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.DONE);

      PrefetchStatus status = gateway.prefetcher().status();
      assertThat(status.objectsTotal()).isEqualTo(8);
      assertThat(status.objectsDone()).isEqualTo(8);
      assertThat(status.objectsFailed()).isZero();
      assertThat(origin.received().stream().map(ScriptedOrigin.Received::path)).containsExactly(
          "/books/m/manifest.json", "/books/other.txt", "/books/m/index.html", "/books/m/book.pdf",
          "/books/m/video.mp4", "/books/m/assets/a.css", "/books/m/assets/b.js?v=2", "/books/m/assets/c.svg");
      assertThat(origin.received()).allSatisfy(request -> {
        assertThat(request.header("User-Agent")).isEqualTo("textbook-gateway-prefetch");
        assertThat(request.header("Accept-Encoding")).isEqualTo("gzip, deflate, br");
      });
    }
  }

  @Test
  void manifestNotJson_failsWithItsReason_theRestGoesOn() throws Exception {
    MutableClock clock = new MutableClock();
    Path list = Files.writeString(dir.resolve("prefetch.txt"), "/books/bad/manifest.json\n/books/ok.txt\n");
    try (ScriptedOrigin origin = ScriptedOrigin.start(0, clock);
        Gateway gateway = TestGateways.start(origin.baseUri(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 0 }", clock)) {
      origin.answer("/books/bad/manifest.json", new ScriptedOrigin.Answer(200, "<html>not a manifest</html>",
          "Cache-Control", "max-age=300"));
      origin.answer("/books/ok.txt", new ScriptedOrigin.Answer(200, "ok", "Cache-Control", "max-age=300"));

      gateway.prefetcher().startNow();
      await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.DONE);

      PrefetchStatus status = gateway.prefetcher().status();
      assertThat(status.objectsDone()).isEqualTo(2);
      assertThat(status.lastError()).startsWith("manifest cloud:/books/bad/manifest.json: not JSON");
      assertThat(origin.received("/books/ok.txt")).hasSize(1);
    }
  }

  @Test
  void demoCdnManifest_storedBrotli_expandsToTheWholeBook() throws Exception {
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().profile(OriginProfile.CDN).build())) {
      Book book = origin.catalog().books().get(0);
      Path list = Files.writeString(dir.resolve("prefetch.txt"), book.manifestPath() + "\n");
      // 8kbit: the book itself barely starts before the gateway stops.
      try (Gateway gateway = TestGateways.start(origin.baseUri(), origin.caFile().orElseThrow(),
          "prefetch: { lists: [\"" + list + "\"], max-rate: 8kbit }", Clock.systemUTC())) {

        gateway.prefetcher().startNow();
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().objectsTotal() > 1);

        PrefetchStatus status = gateway.prefetcher().status();
        assertThat(status.objectsTotal()).isEqualTo(1 + 1 + 1 + (book.hasVideo() ? 1 : 0) + book.assets().size());
        assertThat(status.objectsDone()).isGreaterThanOrEqualTo(1);
        assertThat(status.lastError()).isNull();
        assertThat(origin.stats().requests(book.manifestPath())).isEqualTo(1);
      }
    }
  }
}
