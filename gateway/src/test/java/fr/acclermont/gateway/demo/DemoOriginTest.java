package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The origin over real sockets: paths, validators, conditionals, ranges, keep-alive, stats. */
@Timeout(30)
class DemoOriginTest {

  private static final long SEED = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static DemoOrigin origin;
  private static Book book;

  @BeforeAll
  static void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().seed(SEED).build());
    book = origin.catalog().books().get(0);
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @Test
  void catalog_get_jsonOfEveryBookNotStored() throws Exception {
    HttpResponse<String> response = get("/_origin/catalog");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    JsonNode books = JSON.readTree(response.body()).get("books");
    assertThat(books).hasSizeGreaterThanOrEqualTo(3);
    assertThat(books.get(0).get("assetCount").asInt()).isGreaterThanOrEqualTo(200);
    assertThat(books.get(0).get("pdf").get("size").asLong()).isGreaterThanOrEqualTo(100L << 20);
    assertThat(response.body()).isEqualTo(origin.catalog().toJson());
  }

  @Test
  void blob_twentyMiB_exactLengthAndDigestOfSyntheticContent() throws Exception {
    String path = "/blobs/20MiB/digest";
    HttpResponse<InputStream> response = CLIENT.send(request(path).build(), BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
    assertThat(response.headers().firstValue("content-length")).hasValue(String.valueOf(20L << 20));
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long length = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[1 << 16];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        received.update(buffer, 0, n);
        length += n;
      }
    }
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    for (long offset = 0; offset < 20L << 20; offset += 1 << 20) {
      expected.update(SyntheticContent.bytes(path, offset, 1 << 20, SEED));
    }
    assertThat(length).isEqualTo(20L << 20);
    assertThat(received.digest()).isEqualTo(expected.digest());
  }

  @Test
  void blob_sizeUnits_exactContentLength() throws Exception {
    assertThat(head("/blobs/64KiB/a").headers().firstValue("content-length")).hasValue("65536");
    assertThat(head("/blobs/1GiB/a").headers().firstValue("content-length")).hasValue("1073741824");
    assertThat(head("/blobs/1234/a").headers().firstValue("content-length")).hasValue("1234");
    assertThat(getBytes("/blobs/1234/plain").body())
        .isEqualTo(SyntheticContent.bytes("/blobs/1234/plain", 0, 1234, SEED));
  }

  @Test
  void blob_badSize_notFound() throws Exception {
    assertThat(get("/blobs/12XB/a").statusCode()).isEqualTo(404);
    assertThat(get("/blobs/99999999999GiB/a").statusCode()).isEqualTo(404);
    assertThat(get("/blobs/12KiB/").statusCode()).isEqualTo(404);
  }

  @Test
  void range_closed_partialWithContentRange() throws Exception {
    HttpResponse<byte[]> response = getBytes("/blobs/1MiB/range", "Range", "bytes=1000-1999");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.headers().firstValue("content-range")).hasValue("bytes 1000-1999/1048576");
    assertThat(response.headers().firstValue("content-length")).hasValue("1000");
    assertThat(response.body()).isEqualTo(SyntheticContent.bytes("/blobs/1MiB/range", 1000, 1000, SEED));
  }

  @Test
  void range_open_partialToTheEnd() throws Exception {
    HttpResponse<byte[]> response = getBytes("/blobs/1MiB/range", "Range", "bytes=1048000-");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.headers().firstValue("content-range")).hasValue("bytes 1048000-1048575/1048576");
    assertThat(response.body()).isEqualTo(SyntheticContent.bytes("/blobs/1MiB/range", 1048000, 576, SEED));
  }

  @Test
  void range_suffix_partialLastBytes() throws Exception {
    HttpResponse<byte[]> response = getBytes("/blobs/1MiB/range", "Range", "bytes=-100");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.headers().firstValue("content-range")).hasValue("bytes 1048476-1048575/1048576");
    assertThat(response.body()).isEqualTo(SyntheticContent.bytes("/blobs/1MiB/range", 1048476, 100, SEED));
  }

  @Test
  void range_pastTheEnd_unsatisfiableWithStarContentRange() throws Exception {
    HttpResponse<byte[]> response = getBytes("/blobs/1MiB/range", "Range", "bytes=1048576-");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("content-range")).hasValue("bytes */1048576");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void range_multiple_fullBody() throws Exception {
    HttpResponse<byte[]> response = getBytes("/blobs/64KiB/multi", "Range", "bytes=0-9,20-29");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).hasSize(65536);
  }

  @Test
  void range_malformed_fullBody() throws Exception {
    HttpResponse<byte[]> response = getBytes("/blobs/64KiB/multi", "Range", "bytes=9-1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).hasSize(65536);
  }

  @Test
  void ifRange_currentEtagOrDate_partial() throws Exception {
    HttpResponse<String> full = get("/blobs/64KiB/if-range");
    String etag = full.headers().firstValue("etag").orElseThrow();
    String lastModified = full.headers().firstValue("last-modified").orElseThrow();

    assertThat(getBytes("/blobs/64KiB/if-range", "Range", "bytes=0-9", "If-Range", etag).statusCode()).isEqualTo(206);
    assertThat(getBytes("/blobs/64KiB/if-range", "Range", "bytes=0-9", "If-Range", lastModified).statusCode())
        .isEqualTo(206);
  }

  @Test
  void ifRange_otherEtagOrDate_fullBody() throws Exception {
    HttpResponse<byte[]> otherTag = getBytes("/blobs/64KiB/if-range", "Range", "bytes=0-9", "If-Range", "\"other\"");
    HttpResponse<byte[]> otherDate =
        getBytes("/blobs/64KiB/if-range", "Range", "bytes=0-9", "If-Range", "Mon, 01 Jan 2024 00:00:00 GMT");

    assertThat(otherTag.statusCode()).isEqualTo(200);
    assertThat(otherTag.body()).hasSize(65536);
    assertThat(otherDate.statusCode()).isEqualTo(200);
  }

  @Test
  void ifNoneMatch_currentEtag_notModifiedWithValidators() throws Exception {
    String etag = head(book.manifestPath()).headers().firstValue("etag").orElseThrow();

    for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"x\", " + etag, "*")) {
      HttpResponse<byte[]> response = getBytes(book.manifestPath(), "If-None-Match", ifNoneMatch);
      assertThat(response.statusCode()).isEqualTo(304);
      assertThat(response.headers().firstValue("etag")).hasValue(etag);
      assertThat(response.headers().firstValue("cache-control")).hasValue("public, max-age=300");
      assertThat(response.headers().firstValue("date")).isPresent();
      assertThat(response.body()).isEmpty();
    }
  }

  @Test
  void ifNoneMatch_otherEtag_fullBody() throws Exception {
    assertThat(getBytes(book.manifestPath(), "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void ifModifiedSince_notOlderThanLastModified_notModified() throws Exception {
    String lastModified = head("/blobs/4KiB/ims").headers().firstValue("last-modified").orElseThrow();

    assertThat(getBytes("/blobs/4KiB/ims", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    assertThat(getBytes("/blobs/4KiB/ims", "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").statusCode())
        .isEqualTo(200);
  }

  @Test
  void head_blob_headersWithoutBodyOnKeptConnection() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response head = connection.send("HEAD", "/blobs/1MiB/head").read(true);
      RawConnection.Response get = connection.send("GET", "/blobs/10/head").read(false);

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo("1048576");
      assertThat(head.header("accept-ranges")).isEqualTo("bytes");
      assertThat(head.header("etag")).startsWith("\"");
      // Had the HEAD response carried a body, this status line would be body bytes.
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(SyntheticContent.bytes("/blobs/10/head", 0, 10, SEED));
    }
  }

  @Test
  void keepAlive_pipelinedRequests_answeredInOrderOnOneSocket() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      connection.sendRaw("GET /blobs/100KiB/p1 HTTP/1.1\r\nHost: t\r\n\r\n"
          + "GET /blobs/3/p2 HTTP/1.1\r\nHost: t\r\n\r\n"
          + "GET /nothing-here HTTP/1.1\r\nHost: t\r\n\r\n");

      assertThat(connection.read(false).body()).hasSize(100 * 1024);
      assertThat(connection.read(false).body()).isEqualTo(SyntheticContent.bytes("/blobs/3/p2", 0, 3, SEED));
      assertThat(connection.read(false).status()).isEqualTo(404);
      for (int i = 0; i < 5; i++) {
        assertThat(connection.send("GET", "/blobs/1KiB/seq").read(false).body()).hasSize(1024);
      }
    }
  }

  @Test
  void http10_withoutKeepAlive_closedAfterResponse() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      RawConnection.Response response = connection.sendRaw("GET /blobs/5/old HTTP/1.0\r\n\r\n").read(false);

      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(response.body()).hasSize(5);
      assertThat(connection.readToEnd(new byte[1])).isEqualTo(-1);
    }
  }

  @Test
  void http10_keepAlive_connectionKept() throws Exception {
    try (RawConnection connection = new RawConnection(origin.port())) {
      String request = "GET /blobs/5/old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";

      assertThat(connection.sendRaw(request).read(false).header("connection")).isEqualTo("keep-alive");
      assertThat(connection.sendRaw(request).read(false).body()).hasSize(5);
    }
  }

  @Test
  void stats_requestsAndBodyBytes_countedPerPathWithoutQuery() throws Exception {
    String path = "/blobs/10KiB/stats-count";
    get(path + "?v=1");
    head(path);
    getBytes(path, "Range", "bytes=0-99");
    getBytes(path, "If-None-Match", "*");

    assertThat(origin.stats().requests(path)).isEqualTo(4);
    assertThat(origin.stats().bytes(path)).isEqualTo(10 * 1024 + 100);
    JsonNode json = JSON.readTree(get("/_origin/stats").body());
    assertThat(json.get("paths").get(path).get("requests").asLong()).isEqualTo(4);
    assertThat(json.get("paths").get(path).get("bytes").asLong()).isEqualTo(10 * 1024 + 100);
    assertThat(json.get("requests").asLong()).isGreaterThanOrEqualTo(4);
    assertThat(origin.stats().requests("/_origin/stats")).isZero();
  }

  @Test
  void statsReset_post_noContentAndZeroCounts() throws Exception {
    get("/blobs/1KiB/stats-reset");

    HttpResponse<String> reset = CLIENT.send(
        request("/_origin/stats/reset").POST(HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.ofString());

    assertThat(reset.statusCode()).isEqualTo(204);
    assertThat(origin.stats().requests("/blobs/1KiB/stats-reset")).isZero();
    assertThat(get("/_origin/stats/reset").statusCode()).isEqualTo(405);
  }

  @Test
  void unknownPath_notFoundAndCounted() throws Exception {
    assertThat(get("/books/nope/index.html").statusCode()).isEqualTo(404);
    assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
    assertThat(origin.stats().requests("/elsewhere")).isEqualTo(1);
  }

  @Test
  void post_bookPath_methodNotAllowedWithAllow() throws Exception {
    HttpResponse<String> response = CLIENT.send(
        request(book.indexPath()).POST(HttpRequest.BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void post_blobPath_uploadSinkReportsWhatItReceived() throws Exception {
    HttpResponse<String> response = CLIENT.send(
        request("/blobs/1KiB/post").POST(HttpRequest.BodyPublishers.ofString("hello")).build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"method\":\"POST\",\"bytes\":5,"
        + "\"sha256\":\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"}");
  }

  @Test
  void cacheControl_eachKindOfResource_documentedDefault() throws Exception {
    assertThat(cacheControl(book.assets().get(0).path())).isEqualTo("public, max-age=86400");
    assertThat(cacheControl(book.manifestPath())).isEqualTo("public, max-age=300");
    assertThat(cacheControl(book.indexPath())).isEqualTo("public, max-age=60");
    assertThat(cacheControl(book.pdfPath())).isEqualTo("public, max-age=604800");
    assertThat(cacheControl(book.videoPath())).isEqualTo("public, max-age=604800");
    assertThat(cacheControl("/blobs/1KiB/cc")).isEqualTo("public, max-age=3600");
    assertThat(cacheControl("/_origin/stats")).isEqualTo("no-store");
  }

  @Test
  void validators_sameResource_stableEtagAndLastModified() throws Exception {
    HttpResponse<Void> first = head(book.pdfPath());
    HttpResponse<Void> second = head(book.pdfPath());

    assertThat(first.headers().firstValue("etag")).isPresent().isEqualTo(second.headers().firstValue("etag"));
    assertThat(first.headers().firstValue("last-modified")).isPresent()
        .isEqualTo(second.headers().firstValue("last-modified"));
    assertThat(first.headers().firstValue("etag")).isNotEqualTo(head(book.indexPath()).headers().firstValue("etag"));
  }

  @Test
  void pdf_firstBytes_pdfHeader() throws Exception {
    HttpResponse<byte[]> response = getBytes(book.pdfPath(), "Range", "bytes=0-8");

    assertThat(response.headers().firstValue("content-type")).hasValue("application/pdf");
    assertThat(response.headers().firstValue("content-range")).hasValue("bytes 0-8/" + book.pdfSize());
    assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.7\n");
  }

  @Test
  void index_html_loadsAssetsThatTheManifestLists() throws Exception {
    HttpResponse<String> index = get(book.indexPath());
    JsonNode manifest = JSON.readTree(get(book.manifestPath()).body());

    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("<title>" + book.title() + "</title>",
        "<link rel=\"stylesheet\"", "<script src=", "<img src=", "<audio src=", "href=\"book.pdf\"");
    List<String> listed = new ArrayList<>();
    manifest.get("assets").forEach(asset -> listed.add(asset.get("path").asText()));
    Matcher references = Pattern.compile("(?:src|href)=\"(assets/[^\"]+)\"").matcher(index.body());
    List<String> referenced = new ArrayList<>();
    while (references.find()) {
      referenced.add("/books/" + book.id() + "/" + references.group(1));
    }
    assertThat(referenced).hasSize(book.assets().size()).containsExactlyInAnyOrderElementsOf(listed);
  }

  @Test
  void assets_oneOfEachKind_listedSizeAndType() throws Exception {
    for (Asset asset : book.assets().subList(0, AssetKind.values().length)) {
      HttpResponse<byte[]> response = getBytes(asset.path());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).hasSize((int) asset.size());
      assertThat(response.headers().firstValue("content-type")).hasValue(asset.contentType());
    }
  }

  private static String cacheControl(String path) throws Exception {
    return head(path).headers().firstValue("cache-control").orElse(null);
  }

  static HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(origin.baseUri() + pathAndQuery));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder;
  }

  private static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    return CLIENT.send(request(pathAndQuery, headers).build(), BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) throws Exception {
    return CLIENT.send(request(pathAndQuery, headers).build(), BodyHandlers.ofByteArray());
  }

  private static HttpResponse<Void> head(String pathAndQuery) throws Exception {
    return CLIENT.send(
        request(pathAndQuery).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());
  }
}
