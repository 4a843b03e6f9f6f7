package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReplayHeadersTest {

  @Test
  void pairs_storedOrderAndRepeats_lessTheFieldsEachAnswerSets() {
    HttpHeaders stored = new DefaultHttpHeaders()
        .add("Content-Type", "text/css")
        .add("content-length", "21")
        .add("Link", "</a.css>")
        .add("AGE", "4")
        .add("Link", "</b.js>")
        .add("Cache-Status", "upstream; hit")
        .add("ETag", "\"v1\"");

    CharSequence[] pairs = new ReplayHeaders(stored).pairs();

    assertThat(Arrays.stream(pairs).map(CharSequence::toString))
        .containsExactly("Content-Type", "text/css", "Link", "</a.css>", "Link", "</b.js>", "ETag", "\"v1\"");
  }

  @Test
  void pairs_takenOnce() {
    ReplayHeaders replay = new ReplayHeaders(new DefaultHttpHeaders().add("ETag", "\"v1\""));

    assertThat(replay.pairs()).isSameAs(replay.pairs());
  }

  @Test
  void noFields_noPairs() {
    assertThat(new ReplayHeaders(new DefaultHttpHeaders().add("Age", "1")).pairs()).isEmpty();
  }

  @Test
  void storedObjects_fromEqualHeaders_stayEqual() {
    CacheKey key = new CacheKey("cloud", "/a.css");
    StoredObject one = new StoredObject(key, 1, 200, new DefaultHttpHeaders().add("ETag", "\"v1\""), 1, 1024, 0, 0,
        0, 0, 60, true);
    StoredObject two = new StoredObject(key, 1, 200, new DefaultHttpHeaders().add("ETag", "\"v1\""), 1, 1024, 0, 0,
        0, 0, 60, true);
    one.replay().pairs();

    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
  }
}
