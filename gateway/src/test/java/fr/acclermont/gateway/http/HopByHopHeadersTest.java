package fr.acclermont.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopByHopHeadersTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding",
      "Upgrade", "Proxy-Authenticate", "Proxy-Authorization", "keep-alive", "TRANSFER-ENCODING"})
  void strip_standardHopByHopField_removed(String name) {
    HttpHeaders headers = endToEnd().add(name, "x");

    HopByHopHeaders.strip(headers);

    assertThat(headers.contains(name)).isFalse();
    assertThat(headers).isEqualTo(endToEnd());
  }

  @Test
  void strip_fieldsNamedInConnection_removedWhateverTheirCase() {
    HttpHeaders headers = endToEnd()
        .add("Connection", "X-Trace-Id, x-session ,, ")
        .add("Connection", "close")
        .add("X-Trace-Id", "1")
        .add("X-Session", "2")
        .add("X-Session", "3");

    HopByHopHeaders.strip(headers);

    assertThat(headers).isEqualTo(endToEnd());
  }

  @Test
  void strip_connectionNamingAnEndToEndField_removesItToo() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "Cache-Control").add("Cache-Control", "no-cache")
        .add("ETag", "\"v1\"");

    HopByHopHeaders.strip(headers);

    assertThat(headers.names()).containsExactly("ETag");
  }

  @Test
  void strip_connectionNamingFramingFields_keepsThem() {
    HttpHeaders headers = endToEnd().add("Host", "books.example").add("Connection", "content-length, HOST");

    HopByHopHeaders.strip(headers);

    assertThat(headers).isEqualTo(endToEnd().add("Host", "books.example"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Content-Length", "transfer-encoding", "x-a, HOST", "x-a ,Content-length"})
  void framingFieldNamed_anyCaseAnyPosition_found(String connection) {
    HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "keep-alive").add("Connection", connection);

    assertThat((CharSequence) HopByHopHeaders.framingFieldNamed(headers)).isNotNull();
  }

  @Test
  void framingFieldNamed_none_null() {
    assertThat((CharSequence) HopByHopHeaders.framingFieldNamed(new DefaultHttpHeaders().add("Connection", "close, x-length")))
        .isNull();
    assertThat((CharSequence) HopByHopHeaders.framingFieldNamed(endToEnd())).isNull();
  }

  @Test
  void strip_endToEndOnly_unchanged() {
    HttpHeaders headers = endToEnd();

    HopByHopHeaders.strip(headers);

    assertThat(headers).isEqualTo(endToEnd());
  }

  /** Fields that must survive a hop, with a repeated one. */
  private static HttpHeaders endToEnd() {
    return new DefaultHttpHeaders()
        .add("Content-Type", "application/pdf")
        .add("Content-Length", "1234")
        .add("Cache-Control", "public, max-age=60")
        .add("ETag", "\"v1\"")
        .add("Authorization", "Bearer t")
        .add("Set-Cookie", "a=1")
        .add("Set-Cookie", "b=2")
        .add("Via", "1.1 proxy.school");
  }
}
