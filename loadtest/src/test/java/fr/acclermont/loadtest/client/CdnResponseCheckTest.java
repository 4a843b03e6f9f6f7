package fr.acclermont.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.ContentCoding;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ResponseCheck} on encoded bodies: framing in encoded bytes, content after decoding. */
class CdnResponseCheckTest {

  private static final byte[] TEXT = "body { margin: 0 auto; } /* a style sheet, repeated */ ".repeat(200)
      .getBytes(StandardCharsets.US_ASCII);
  private static final RequestSpec WHOLE =
      RequestSpec.whole(RequestKind.ASSET, "/a.css", TEXT.length, new KnownBytesVerifier(TEXT));

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "br"})
  void encoded_decodesToTheContent_passesAndCountsWireBytes(String token) {
    ContentCoding coding = ContentCoding.ofToken(token);
    org.junit.jupiter.api.Assumptions.assumeTrue(coding.available());
    byte[] encoded = coding.encode(TEXT);
    ResponseCheck check = new ResponseCheck(WHOLE);

    assertThat(check.onHead(response(200, encoded.length, token))).isNull();
    // In two pieces, as it may stream.
    int half = encoded.length / 2;
    assertThat(check.onContent(Unpooled.wrappedBuffer(encoded, 0, half))).isNull();
    assertThat(check.onContent(Unpooled.wrappedBuffer(encoded, half, encoded.length - half))).isNull();
    assertThat(check.onEnd()).isNull();
    check.release();

    assertThat(check.received()).isEqualTo(encoded.length).isLessThan(TEXT.length);
  }

  @Test
  void encoded_otherContent_isCorrupt() {
    byte[] other = TEXT.clone();
    other[other.length / 2] ^= 1;
    byte[] encoded = ContentCoding.GZIP.encode(other);
    ResponseCheck check = new ResponseCheck(WHOLE);

    assertThat(check.onHead(response(200, encoded.length, "gzip"))).isNull();
    ResponseCheck.Failure failure = check.onContent(Unpooled.wrappedBuffer(encoded));
    if (failure == null) {
      failure = check.onEnd();
    }
    check.release();

    assertThat(failure.kind()).isEqualTo(ErrorKind.CORRUPT);
  }

  @Test
  void encoded_truncatedOrGarbled_isCorrupt() {
    byte[] encoded = ContentCoding.GZIP.encode(TEXT);
    ResponseCheck truncated = new ResponseCheck(WHOLE);
    assertThat(truncated.onHead(response(200, -1, "gzip"))).isNull();
    assertThat(truncated.onContent(Unpooled.wrappedBuffer(Arrays.copyOf(encoded, encoded.length - 20)))).isNull();
    assertThat(truncated.onEnd().kind()).isEqualTo(ErrorKind.CORRUPT);
    truncated.release();

    ResponseCheck garbled = new ResponseCheck(WHOLE);
    assertThat(garbled.onHead(response(200, 100, "gzip"))).isNull();
    assertThat(garbled.onContent(Unpooled.wrappedBuffer(new byte[100])).kind()).isEqualTo(ErrorKind.CORRUPT);
    garbled.release();
  }

  @Test
  void unknownCoding_orEncodedRange_isCorrupt() {
    assertThat(new ResponseCheck(WHOLE).onHead(response(200, 10, "zstd")).kind()).isEqualTo(ErrorKind.CORRUPT);

    RequestSpec range = RequestSpec.range(RequestKind.RANGE, "/a.css", RangeSpec.of(0, 10), TEXT.length, null);
    HttpResponse partial = response(206, 10, "gzip");
    partial.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes 0-9/" + TEXT.length);
    assertThat(new ResponseCheck(range).onHead(partial).kind()).isEqualTo(ErrorKind.CORRUPT);
  }

  @Test
  void acceptEncoding_browsersForPagesAndFetch_identityForVideo() {
    assertThat(RequestKind.ASSET.acceptEncoding()).isEqualTo("gzip, deflate, br");
    assertThat(RequestKind.MANIFEST.acceptEncoding()).isEqualTo("gzip, deflate, br");
    assertThat(RequestKind.RANGE.acceptEncoding()).isEqualTo("gzip, deflate, br");
    assertThat(RequestKind.VIDEO.acceptEncoding()).isEqualTo("identity;q=1, *;q=0");
  }

  private static HttpResponse response(int status, long contentLength, String coding) {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    if (contentLength >= 0) {
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
    }
    if (coding != null) {
      response.headers().set(HttpHeaderNames.CONTENT_ENCODING, coding);
    }
    return response;
  }
}
