package fr.acclermont.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void parse_hostAndPort_keepsThem() {
    Target target = Target.parse("http://127.0.0.1:8080");
    assertThat(target).isEqualTo(new Target("127.0.0.1", 8080, ""));
    assertThat(target.hostHeader()).isEqualTo("127.0.0.1:8080");
    assertThat(target.requestTarget("/books/a")).isEqualTo("/books/a");
  }

  @Test
  void parse_basePath_prefixesRequests() {
    Target target = Target.parse("http://gateway.lan/cdn/");
    assertThat(target.port()).isEqualTo(80);
    assertThat(target.hostHeader()).isEqualTo("gateway.lan");
    assertThat(target.requestTarget("/books/a")).isEqualTo("/cdn/books/a");
    assertThat(target).hasToString("http://gateway.lan/cdn");
  }

  @Test
  void parse_ipv6_bracketsTheHostHeader() {
    assertThat(Target.parse("http://[::1]:8000").hostHeader()).isEqualTo("[::1]:8000");
  }

  @Test
  void parse_https_tlsOnPort443ByDefault_trustingOnlyWhatIsGiven() {
    Target target = Target.parse("https://origin.lan/cdn");

    assertThat(target).isEqualTo(new Target("origin.lan", 443, "/cdn", true, null));
    assertThat(target.hostHeader()).isEqualTo("origin.lan");
    assertThat(target).hasToString("https://origin.lan/cdn");
    assertThat(target.trusting(java.nio.file.Path.of("/ca.pem")).caFile()).isEqualTo(java.nio.file.Path.of("/ca.pem"));
    assertThat(Target.parse("http://x:1").trusting(java.nio.file.Path.of("/ca.pem")).caFile()).isNull();
  }

  @Test
  void parse_notHttp_namesTheExpectedForm() {
    for (String bad : new String[] {"ftp://x:1", "127.0.0.1:8080", "http://", "http://x:1/?q=1", "nonsense"}) {
      assertThatThrownBy(() -> Target.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected an http:// URL");
    }
  }

  @Test
  void contentRange_forms_parse() {
    assertThat(ContentRange.parse("bytes 0-9/100")).isEqualTo(new ContentRange(0, 9, 100));
    assertThat(ContentRange.parse("bytes 5-9/*")).isEqualTo(new ContentRange(5, 9, -1));
    assertThat(ContentRange.parse("bytes 9-5/100")).isNull();
    assertThat(ContentRange.parse("bytes 0-100/100")).isNull();
    assertThat(ContentRange.parse("bytes */100")).isNull();
    assertThat(ContentRange.parse(null)).isNull();
  }

  @Test
  void rangeSpec_headerAndWindow_followRfc9110() {
    assertThat(RangeSpec.of(0, 65536).header()).isEqualTo("bytes=0-65535");
    assertThat(RangeSpec.suffix(65536).header()).isEqualTo("bytes=-65536");
    assertThat(RangeSpec.suffix(65536).firstIn(100_000)).isEqualTo(100_000 - 65536);
    assertThat(RangeSpec.suffix(65536).firstIn(1000)).isZero();
    assertThat(RangeSpec.of(900, 200).lastIn(1000)).isEqualTo(999);
  }
}
