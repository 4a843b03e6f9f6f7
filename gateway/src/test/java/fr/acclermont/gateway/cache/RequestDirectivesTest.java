package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class RequestDirectivesTest {

  private static RequestDirectives of(String... nameValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < nameValues.length; i += 2) {
      headers.add(nameValues[i], nameValues[i + 1]);
    }
    return RequestDirectives.of(headers);
  }

  @Test
  void noDirectives_theSharedNone() {
    assertThat(of()).isSameAs(RequestDirectives.NONE);
    assertThat(of("Pragma", "x-other")).isSameAs(RequestDirectives.NONE);
  }

  @Test
  void everyDirective_parsed() {
    RequestDirectives d = of("Cache-Control", "max-age=60, min-fresh=\"30\", MAX-STALE=5, only-if-cached",
        "Cache-Control", "no-cache, no-store, x-unknown=1");

    assertThat(d).isEqualTo(new RequestDirectives(60, 30, 5, true, true, true));
    assertThat(d.constrains()).isTrue();
  }

  @Test
  void maxStaleWithoutValue_anyStaleness_malformed_none() {
    assertThat(of("Cache-Control", "max-stale").maxStale()).isEqualTo(Long.MAX_VALUE);
    assertThat(of("Cache-Control", "max-stale=x").maxStale()).isEqualTo(-1);
    assertThat(of("Cache-Control", "max-stale=").maxStale()).isEqualTo(-1);
  }

  @Test
  void givenTwice_theFirstCounts() {
    assertThat(of("Cache-Control", "max-age=5, max-age=50").maxAge()).isEqualTo(5);
    assertThat(of("Cache-Control", "max-age=ten, max-age=50").maxAge()).isEqualTo(50);
  }

  @Test
  void reload_noCacheOrMaxAgeZeroOrPragmaAlone() {
    assertThat(of("Cache-Control", "no-cache").reload()).isTrue();
    assertThat(of("Cache-Control", "max-age=0").reload()).isTrue();
    assertThat(of("Pragma", "no-cache").reload()).isTrue();
    assertThat(of("Pragma", "no-cache", "Cache-Control", "max-age=60").reload()).as("RFC 9111 5.4").isFalse();
    assertThat(of("Cache-Control", "max-age=60").reload()).isFalse();
    assertThat(of("Cache-Control", "max-stale, only-if-cached, no-store").constrains()).isFalse();
  }
}
