package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pieces of prefetching on their own: lists, manifests, decoding, the rate cap, the progress file. */
class PrefetchPartsTest {

  private static final byte[] TEXT = "{\"index\": \"/books/x/index.html\"}".repeat(50).getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  @Test
  void entries_skipBlankLinesAndComments_stripSpaces() {
    assertThat(Targets.entries("# books of 6e\r\n/books/a/manifest.json\n\n   \n  /books/b.pdf  \n#/books/c\n"))
        .containsExactly("/books/a/manifest.json", "/books/b.pdf");
  }

  @Test
  void references_demoFormat_inOrderResolvedAgainstTheManifest() throws IOException {
    byte[] manifest = """
        {"id": "x", "title": "X", "index": "/books/x/index.html",
         "pdf": {"path": "book.pdf", "size": 1}, "video": null,
         "assets": [{"path": "assets/a.css"}, "../shared/b.js", {"path": "https://cdn.example/books/x/c.svg"},
                    {"size": 3}, {"path": ""}]}
        """.getBytes(StandardCharsets.UTF_8);

    assertThat(Targets.references(manifest, "/books/x/manifest.json?v=3")).containsExactly(
        "/books/x/index.html", "/books/x/book.pdf", "/books/x/assets/a.css", "/books/shared/b.js",
        "https://cdn.example/books/x/c.svg");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1, 2]", "{\"id\": \"x\"}", "not json", "{\"assets\": [{\"size\": 1}]}"})
  void references_notAManifest_refused(String json) {
    assertThatThrownBy(() -> Targets.references(json.getBytes(StandardCharsets.UTF_8), "/m/manifest.json"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void decode_everyCoding_givesTheText() throws IOException {
    assertThat(Bodies.decode(TEXT, null, 1 << 20)).isEqualTo(TEXT);
    assertThat(Bodies.decode(TEXT, "identity", 1 << 20)).isEqualTo(TEXT);
    assertThat(Bodies.decode(gzip(TEXT), "gzip", 1 << 20)).isEqualTo(TEXT);
    assertThat(Bodies.decode(gzip(TEXT), "X-GZIP", 1 << 20)).isEqualTo(TEXT);
    assertThat(Bodies.decode(deflate(TEXT), "deflate", 1 << 20)).isEqualTo(TEXT);
    Brotli4jLoader.ensureAvailability();
    assertThat(Bodies.decode(Encoder.compress(TEXT), "br", 1 << 20)).isEqualTo(TEXT);
  }

  @Test
  void decode_unknownCodingOrTooLarge_refused() throws IOException {
    assertThatThrownBy(() -> Bodies.decode(TEXT, "zstd", 1 << 20)).isInstanceOf(IOException.class)
        .hasMessageContaining("zstd");
    assertThatThrownBy(() -> Bodies.decode(gzip(TEXT), "gzip", 100)).isInstanceOf(IOException.class)
        .hasMessageContaining("more than 100 bytes");
    assertThatThrownBy(() -> Bodies.decode(TEXT, null, 100)).isInstanceOf(IOException.class);
  }

  @Test
  void tokenBucket_inDebt_waitsTheDebtOverTheRate() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(1_000_000, 100_000, now::get);

    assertThat(bucket.delayNanos()).isZero();
    bucket.take(100_000);
    assertThat(bucket.delayNanos()).as("the burst of one run").isZero();
    bucket.take(100_000);
    assertThat(bucket.delayNanos()).isEqualTo(100_000_000);
    now.addAndGet(60_000_000);
    assertThat(bucket.delayNanos()).isEqualTo(40_000_000);
    now.addAndGet(10_000_000_000L);
    assertThat(bucket.delayNanos()).isZero();
    bucket.take(250_000);
    assertThat(bucket.delayMillis()).as("refilled to one run only").isEqualTo(150);
  }

  @Test
  void tokenBucket_noCap_neverWaits() {
    TokenBucket bucket = new TokenBucket(0, 100_000, System::nanoTime);

    bucket.take(1L << 40);

    assertThat(bucket.capped()).isFalse();
    assertThat(bucket.delayNanos()).isZero();
  }

  @Test
  void progress_keptAcrossLoads_aPassAndWhatItDid() {
    PrefetchProgress progress = PrefetchProgress.load(dir);
    progress.startPass(1000, true);
    progress.did("cloud /books/a");
    progress.did("cloud /books/b?x=1");

    PrefetchProgress again = PrefetchProgress.load(dir);

    assertThat(again.passUnderWay()).isTrue();
    assertThat(again.passManual()).isTrue();
    assertThat(again.passStartMillis()).isEqualTo(1000);
    assertThat(again.done("cloud /books/a")).isTrue();
    assertThat(again.done("cloud /books/b?x=1")).isTrue();
    assertThat(again.done("cloud /books/c")).isFalse();
    assertThat(again.doneCount()).isEqualTo(2);
  }

  @Test
  void progress_completedPass_remembersItsWindow_forgetsWhatItDid() {
    PrefetchProgress progress = PrefetchProgress.load(dir);
    progress.startPass(1000, false);
    progress.did("cloud /books/a");
    progress.completePass(5000, 3600_000);

    PrefetchProgress again = PrefetchProgress.load(dir);

    assertThat(again.passUnderWay()).isFalse();
    assertThat(again.completedIn(3600_000)).isTrue();
    assertThat(again.completedIn(7200_000)).isFalse();
    assertThat(again.lastCompleted()).hasToString("1970-01-01T00:00:05Z");
    assertThat(again.done("cloud /books/a")).isFalse();
  }

  @Test
  void progress_lineCutByACrash_orForeignFile_ignored() throws IOException {
    PrefetchProgress progress = PrefetchProgress.load(dir);
    progress.startPass(1000, false);
    progress.did("cloud /books/a");
    Files.writeString(dir.resolve(PrefetchProgress.FILE_NAME), "done clo", java.nio.file.StandardOpenOption.APPEND);

    assertThat(PrefetchProgress.load(dir).doneCount()).isEqualTo(1);
    Files.writeString(dir.resolve(PrefetchProgress.FILE_NAME), "something else\n");
    assertThat(PrefetchProgress.load(dir).passUnderWay()).isFalse();
  }

  @Test
  void progress_withoutADirectory_inMemoryOnly() {
    PrefetchProgress progress = PrefetchProgress.load(null);
    progress.startPass(1000, true);
    progress.did("cloud /books/a");

    assertThat(progress.done("cloud /books/a")).isTrue();
    assertThat(PrefetchProgress.load(null).passUnderWay()).isFalse();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
      deflate.write(bytes);
    }
    return out.toByteArray();
  }
}
