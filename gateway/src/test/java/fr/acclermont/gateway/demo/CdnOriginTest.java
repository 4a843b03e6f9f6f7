package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CDN profile over real sockets: HTTPS with the throw-away CA, content codings per
 * {@code Accept-Encoding} whose bodies decode to the plain profile's bytes, ranges and validators
 * of the encoded representation, and the publisher's {@code Cache-Control}.
 */
@Timeout(60)
class CdnOriginTest {

  private static final long SEED = 1;
  private static final String BROWSER = "gzip, deflate, br";

  private static DemoOrigin cdn;
  private static DemoOrigin plain;
  private static HttpClient client;
  private static HttpClient plainClient;
  private static Book book;

  @BeforeAll
  static void start() throws Exception {
    cdn = DemoOrigin.start(DemoOriginOptions.builder().seed(SEED).profile(OriginProfile.CDN).build());
    plain = DemoOrigin.start(DemoOriginOptions.builder().seed(SEED).build());
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(CdnTls.trusting(cdn.caFile().orElseThrow())).build();
    plainClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    book = cdn.catalog().books().get(0);
  }

  @AfterAll
  static void stop() {
    cdn.close();
    plain.close();
  }

  /** The book's page, its manifest and one asset of each text kind. */
  static Stream<String> textPaths() {
    Book first = Catalog.generate(SEED).books().get(0);
    Stream<String> assets = Stream.of("css", "js", "svg", "json", "html").map(extension -> first.assets().stream()
        .map(Asset::path).filter(path -> path.endsWith("." + extension)).findFirst().orElseThrow());
    return Stream.concat(Stream.of(first.indexPath(), first.manifestPath()), assets);
  }

  @Test
  void tls_caTrusted_handshakeSucceedsOverHttps() throws Exception {
    HttpResponse<String> response = client.send(get("/_origin/catalog").build(), BodyHandlers.ofString());

    assertThat(cdn.baseUri().getScheme()).isEqualTo("https");
    assertThat(cdn.baseUri().toString()).startsWith("https://127.0.0.1:");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(cdn.catalog().toJson());
    assertThat(Files.readString(cdn.caFile().orElseThrow())).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void tls_caNotTrusted_handshakeFails() throws Exception {
    // Another throw-away CA: the same subject, another key.
    DemoOrigin other = DemoOrigin.start(DemoOriginOptions.builder().profile(OriginProfile.CDN).build());
    try {
      HttpClient untrusting = HttpClient.newBuilder().sslContext(CdnTls.trusting(other.caFile().orElseThrow())).build();
      HttpClient systemTrust = HttpClient.newHttpClient();

      for (HttpClient wrong : List.of(untrusting, systemTrust)) {
        assertThatThrownBy(() -> wrong.send(get("/_origin/catalog").build(), BodyHandlers.ofString()))
            .isInstanceOf(SSLHandshakeException.class);
      }
    } finally {
      other.close();
    }
  }

  @Test
  void caFile_given_writtenThereAndKept_temporaryOneDeletedOnClose(@TempDir Path dir) throws Exception {
    Path given = dir.resolve("origin-ca.pem");
    DemoOrigin withFile = DemoOrigin.start(DemoOriginOptions.builder().profile(OriginProfile.CDN).caFile(given).build());
    DemoOrigin withTemp = DemoOrigin.start(DemoOriginOptions.builder().profile(OriginProfile.CDN).build());
    Path temp = withTemp.caFile().orElseThrow();
    withFile.close();
    withTemp.close();

    assertThat(withFile.caFile()).hasValue(given);
    assertThat(Files.readString(given)).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(temp).doesNotExist();
    assertThat(plain.caFile()).isEmpty();
    assertThatThrownBy(() -> DemoOriginOptions.builder().caFile(given).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("textPaths")
  void gzip_textResource_decodesToThePlainProfilesBytes(String path) throws Exception {
    HttpResponse<byte[]> response = client.send(get(path).header("Accept-Encoding", "gzip").build(),
        BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(response.headers().firstValue("vary")).hasValue("Accept-Encoding");
    assertThat(response.headers().firstValueAsLong("content-length")).hasValue(response.body().length);
    assertThat(sha256(gunzip(response.body()))).isEqualTo(sha256(plainBytes(path)));
  }

  @ParameterizedTest
  @MethodSource("textPaths")
  void br_browsersAcceptEncoding_brotliThatDecodesToThePlainProfilesBytes(String path) throws Exception {
    assumeTrue(ContentCoding.BR.available(), "brotli4j's native library loads on this platform");
    HttpResponse<byte[]> response = client.send(get(path).header("Accept-Encoding", BROWSER).build(),
        BodyHandlers.ofByteArray());

    assertThat(response.headers().firstValue("content-encoding")).hasValue("br");
    assertThat(response.headers().firstValue("vary")).hasValue("Accept-Encoding");
    assertThat(sha256(unbrotli(response.body()))).isEqualTo(sha256(plainBytes(path)));
  }

  @Test
  void identity_whenAskedOrNoAcceptEncoding_plainBytesStillVary() throws Exception {
    String path = book.manifestPath();
    for (String acceptEncoding : new String[] {"identity", null, "gzip;q=0, br;q=0"}) {
      HttpRequest.Builder request = get(path);
      if (acceptEncoding != null) {
        request.header("Accept-Encoding", acceptEncoding);
      }
      HttpResponse<byte[]> response = client.send(request.build(), BodyHandlers.ofByteArray());

      assertThat(response.headers().firstValue("content-encoding")).as(acceptEncoding).isEmpty();
      assertThat(response.headers().firstValue("vary")).as(acceptEncoding).hasValue("Accept-Encoding");
      assertThat(response.body()).as(acceptEncoding).isEqualTo(plainBytes(path));
    }
  }

  @Test
  void encodedBytes_sameInAnotherOriginAndAnotherRun() throws Exception {
    String path = textPaths().skip(2).findFirst().orElseThrow();
    DemoOrigin again = DemoOrigin.start(DemoOriginOptions.builder().seed(SEED).profile(OriginProfile.CDN).build());
    try {
      HttpClient againClient = HttpClient.newBuilder().sslContext(CdnTls.trusting(again.caFile().orElseThrow())).build();
      HttpResponse<byte[]> first = client.send(get(path).header("Accept-Encoding", "gzip").build(),
          BodyHandlers.ofByteArray());
      HttpResponse<byte[]> second = againClient.send(HttpRequest.newBuilder(URI.create(again.baseUri() + path))
          .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray());

      assertThat(sha256(second.body())).isEqualTo(sha256(first.body()));
      assertThat(second.headers().firstValue("etag")).isEqualTo(first.headers().firstValue("etag"));
    } finally {
      again.close();
    }
  }

  @Test
  void range_addressesTheEncodedBytes() throws Exception {
    String path = textPaths().skip(2).findFirst().orElseThrow();
    byte[] whole = client.send(get(path).header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray()).body();

    HttpResponse<byte[]> partial = client.send(get(path).header("Accept-Encoding", "gzip")
        .header("Range", "bytes=100-1123").build(), BodyHandlers.ofByteArray());

    assertThat(partial.statusCode()).isEqualTo(206);
    assertThat(partial.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(partial.headers().firstValue("content-range")).hasValue("bytes 100-1123/" + whole.length);
    assertThat(partial.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 1124));
  }

  @Test
  void etag_perCoding_304OnlyForTheCodingsOwnTag() throws Exception {
    String path = book.manifestPath();
    String identityTag = client.send(get(path).build(), BodyHandlers.discarding()).headers().firstValue("etag")
        .orElseThrow();
    String gzipTag = client.send(get(path).header("Accept-Encoding", "gzip").build(), BodyHandlers.discarding())
        .headers().firstValue("etag").orElseThrow();

    HttpResponse<byte[]> revalidated = client.send(get(path).header("Accept-Encoding", "gzip")
        .header("If-None-Match", gzipTag).build(), BodyHandlers.ofByteArray());
    HttpResponse<byte[]> otherCoding = client.send(get(path).header("Accept-Encoding", "gzip")
        .header("If-None-Match", identityTag).build(), BodyHandlers.ofByteArray());
    HttpResponse<byte[]> rangeOfOtherTag = client.send(get(path).header("Accept-Encoding", "gzip")
        .header("Range", "bytes=0-9").header("If-Range", identityTag).build(), BodyHandlers.ofByteArray());
    HttpResponse<byte[]> rangeOfItsTag = client.send(get(path).header("Accept-Encoding", "gzip")
        .header("Range", "bytes=0-9").header("If-Range", gzipTag).build(), BodyHandlers.ofByteArray());

    assertThat(gzipTag).isEqualTo(identityTag.substring(0, identityTag.length() - 1) + "-gzip\"");
    assertThat(revalidated.statusCode()).isEqualTo(304);
    assertThat(revalidated.body()).isEmpty();
    assertThat(revalidated.headers().firstValue("vary")).hasValue("Accept-Encoding");
    assertThat(revalidated.headers().firstValue("etag")).hasValue(gzipTag);
    assertThat(revalidated.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(otherCoding.statusCode()).isEqualTo(200);
    assertThat(sha256(gunzip(otherCoding.body()))).isEqualTo(sha256(plainBytes(path)));
    assertThat(rangeOfOtherTag.statusCode()).isEqualTo(200);
    assertThat(rangeOfItsTag.statusCode()).isEqualTo(206);
  }

  @Test
  void head_contentLengthOfTheEncodedBody() throws Exception {
    String path = book.indexPath();
    long encoded = client.send(get(path).header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray())
        .body().length;

    HttpResponse<Void> head = client.send(get(path).header("Accept-Encoding", "gzip")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());

    assertThat(head.headers().firstValueAsLong("content-length")).hasValue(encoded);
    assertThat(head.headers().firstValue("content-encoding")).hasValue("gzip");
  }

  @Test
  void cacheControl_asPublishersSendIt() throws Exception {
    String asset = book.assets().get(0).path();
    assertThat(cacheControl(asset)).isEqualTo("public, max-age=31536000, immutable");
    assertThat(cacheControl(book.manifestPath())).isEqualTo("no-cache");
    assertThat(cacheControl(book.indexPath())).isEqualTo("no-cache");
    assertThat(cacheControl(book.pdfPath())).isEqualTo("public, max-age=604800");
    assertThat(cacheControl(book.videoPath())).isEqualTo("public, max-age=604800");
    assertThat(cacheControl("/blobs/4KiB/x")).isEqualTo(ResourceResolver.BLOB_CACHE_CONTROL);
    assertThat(cacheControl("/_origin/stats")).isEqualTo("no-store");
    assertThat(cacheControl(asset + "?cc=private,%20max-age=5")).isEqualTo("private, max-age=5");
    HttpResponse<Void> manifest = client.send(get(book.manifestPath()).build(), BodyHandlers.discarding());
    assertThat(manifest.headers().firstValue("etag")).isPresent();
  }

  @Test
  void binaries_neverCompressed() throws Exception {
    String mp3 = book.assets().stream().map(Asset::path).filter(p -> p.endsWith(".mp3")).findFirst().orElseThrow();
    for (String path : new String[] {book.pdfPath(), book.videoPath(), mp3, "/blobs/64KiB/text"}) {
      HttpResponse<byte[]> response = client.send(get(path).header("Accept-Encoding", BROWSER)
          .header("Range", "bytes=0-65535").build(), BodyHandlers.ofByteArray());

      assertThat(response.statusCode()).as(path).isEqualTo(206);
      assertThat(response.headers().firstValue("content-encoding")).as(path).isEmpty();
      assertThat(response.headers().firstValue("vary")).as(path).isEmpty();
      assertThat(response.body()).as(path).isEqualTo(plainRange(path));
    }
  }

  private static String cacheControl(String target) throws IOException, InterruptedException {
    // HEAD: the headers a GET gets, without a video's hundreds of MiB.
    return client.send(get(target).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        BodyHandlers.discarding()).headers().firstValue("cache-control").orElse(null);
  }

  private static HttpRequest.Builder get(String target) {
    return HttpRequest.newBuilder(URI.create(cdn.baseUri() + target));
  }

  private static byte[] plainBytes(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = plainClient.send(
        HttpRequest.newBuilder(URI.create(plain.baseUri() + path)).build(), BodyHandlers.ofByteArray());
    assertThat(response.headers().firstValue("content-encoding")).isEmpty();
    return response.body();
  }

  private static byte[] plainRange(String path) throws IOException, InterruptedException {
    return plainClient.send(HttpRequest.newBuilder(URI.create(plain.baseUri() + path))
        .header("Range", "bytes=0-65535").build(), BodyHandlers.ofByteArray()).body();
  }

  static byte[] gunzip(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  static byte[] unbrotli(byte[] br) throws IOException {
    DirectDecompress result = Decoder.decompress(br);
    assertThat(result.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
    return result.getDecompressedData();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
