package fr.acclermont.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ResponseCheckTest {

  private static final RequestSpec WHOLE = RequestSpec.whole(RequestKind.ASSET, "/a.css", 10, null);
  private static final RequestSpec RANGE =
      RequestSpec.range(RequestKind.RANGE, "/b.pdf", RangeSpec.of(100, 10), 1000, null);

  @Test
  void whole_200WithItsLength_passes() {
    ResponseCheck check = new ResponseCheck(WHOLE);
    assertThat(check.onHead(response(200, 10, null))).isNull();
    assertThat(content(check, 10)).isNull();
    assertThat(check.onEnd()).isNull();
    assertThat(check.received()).isEqualTo(10);
  }

  @Test
  void whole_503_isStatus() {
    assertThat(new ResponseCheck(WHOLE).onHead(response(503, 10, null)).kind()).isEqualTo(ErrorKind.STATUS);
  }

  @Test
  void whole_contentLengthOtherThanTheCatalogSize_isCorrupt() {
    assertThat(new ResponseCheck(WHOLE).onHead(response(200, 11, null)).kind()).isEqualTo(ErrorKind.CORRUPT);
  }

  @Test
  void whole_bodyEndsBeforeItsLength_isShortBody() {
    ResponseCheck check = new ResponseCheck(WHOLE);
    check.onHead(response(200, -1, null));
    content(check, 4);
    assertThat(check.onEnd().kind()).isEqualTo(ErrorKind.SHORT_BODY);
  }

  @Test
  void whole_connectionClosedMidBody_isShortBody() {
    ResponseCheck check = new ResponseCheck(WHOLE);
    check.onHead(response(200, 10, null));
    content(check, 4);
    assertThat(check.onClose().kind()).isEqualTo(ErrorKind.SHORT_BODY);
    assertThat(check.onUndecodable(new PrematureChannelClosureException()).kind()).isEqualTo(ErrorKind.SHORT_BODY);
  }

  @Test
  void whole_connectionClosedBeforeHead_isReset() {
    assertThat(new ResponseCheck(WHOLE).onClose().kind()).isEqualTo(ErrorKind.RESET);
  }

  @Test
  void whole_malformedResponse_isStatus() {
    assertThat(new ResponseCheck(WHOLE).onUndecodable(new IllegalArgumentException("bad line")).kind())
        .isEqualTo(ErrorKind.STATUS);
  }

  @Test
  void range_206WithTheAskedRange_passes() {
    ResponseCheck check = new ResponseCheck(RANGE);
    assertThat(check.onHead(response(206, 10, "bytes 100-109/1000"))).isNull();
    assertThat(content(check, 10)).isNull();
    assertThat(check.onEnd()).isNull();
  }

  @Test
  void range_200_isStatus() {
    assertThat(new ResponseCheck(RANGE).onHead(response(200, 1000, null)).kind()).isEqualTo(ErrorKind.STATUS);
  }

  @Test
  void range_otherRange_isCorrupt() {
    assertThat(new ResponseCheck(RANGE).onHead(response(206, 10, "bytes 0-9/1000")).kind())
        .isEqualTo(ErrorKind.CORRUPT);
  }

  @Test
  void range_otherTotal_isCorrupt() {
    assertThat(new ResponseCheck(RANGE).onHead(response(206, 10, "bytes 100-109/2000")).kind())
        .isEqualTo(ErrorKind.CORRUPT);
  }

  @Test
  void range_contentLengthDisagreesWithContentRange_isShortBody() {
    assertThat(new ResponseCheck(RANGE).onHead(response(206, 5, "bytes 100-109/1000")).kind())
        .isEqualTo(ErrorKind.SHORT_BODY);
  }

  @Test
  void range_withoutContentRange_isStatus() {
    assertThat(new ResponseCheck(RANGE).onHead(response(206, 10, null)).kind()).isEqualTo(ErrorKind.STATUS);
  }

  @Test
  void suffixRange_lastBytes_passes() {
    RequestSpec suffix = RequestSpec.range(RequestKind.RANGE, "/b.pdf", RangeSpec.suffix(64), 1000, null);
    assertThat(new ResponseCheck(suffix).onHead(response(206, 64, "bytes 936-999/1000"))).isNull();
    assertThat(suffix.expectedBodyBytes()).isEqualTo(64);
  }

  @Test
  void verifier_differentBytes_isCorrupt() {
    RequestSpec spec =
        RequestSpec.whole(RequestKind.MANIFEST, "/m.json", 3, new KnownBytesVerifier(new byte[] {1, 2, 3}));
    ResponseCheck check = new ResponseCheck(spec);
    check.onHead(response(200, 3, null));
    ByteBuf good = Unpooled.wrappedBuffer(new byte[] {1, 2});
    ByteBuf bad = Unpooled.wrappedBuffer(new byte[] {9});
    try {
      assertThat(check.onContent(good)).isNull();
      assertThat(check.onContent(bad).kind()).isEqualTo(ErrorKind.CORRUPT);
    } finally {
      good.release();
      bad.release();
    }
  }

  @Test
  void body_longerThanExpected_isCorrupt() {
    ResponseCheck check = new ResponseCheck(WHOLE);
    check.onHead(response(200, -1, null));
    assertThat(content(check, 11).kind()).isEqualTo(ErrorKind.CORRUPT);
  }

  private static ResponseCheck.Failure content(ResponseCheck check, int length) {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[length]);
    try {
      return check.onContent(buf);
    } finally {
      buf.release();
    }
  }

  private static HttpResponse response(int status, long contentLength, String contentRange) {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    if (contentLength >= 0) {
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
    }
    if (contentRange != null) {
      response.headers().set(HttpHeaderNames.CONTENT_RANGE, contentRange);
    }
    return response;
  }
}
