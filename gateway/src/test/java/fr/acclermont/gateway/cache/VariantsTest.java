package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantsTest {

  private static final CacheKey URL = new CacheKey("cloud", "/books/b1/manifest.json");

  private static HttpHeaders headers(String... nameValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < nameValues.length; i += 2) {
      headers.add(nameValues[i], nameValues[i + 1]);
    }
    return headers;
  }

  @Test
  void names_lowercaseSortedDistinctAcrossLines() {
    HttpHeaders response = headers("Vary", "Accept-Language, accept-encoding", "Vary", "Accept-Encoding");

    assertThat(Variants.names(response)).containsExactly("accept-encoding", "accept-language");
  }

  @Test
  void keyFor_unknownUrl_primaryKey() {
    assertThat(new Variants().keyFor(URL, headers("Accept-Language", "fr"))).isSameAs(URL);
  }

  @Test
  void accepts_primaryKeyForAVaryingAnswer_learnsTheNamesAndRefuses() {
    Variants variants = new Variants();

    boolean accepted = variants.accepts(URL, headers("Accept-Language", "fr"), List.of("accept-language"));

    assertThat(accepted).isFalse();
    assertThat(variants.namesOf(URL)).containsExactly("accept-language");
    CacheKey key = variants.keyFor(URL, headers("Accept-Language", "fr"));
    assertThat(key.variant()).isEqualTo("accept-language: fr");
    assertThat(variants.accepts(key, headers("Accept-Language", "fr"), List.of("accept-language"))).isTrue();
  }

  @Test
  void accepts_answerThatStoppedVarying_forgetsTheUrl() {
    Variants variants = new Variants();
    variants.accepts(URL, headers(), List.of("accept-language"));
    CacheKey key = variants.keyFor(URL, headers("Accept-Language", "fr"));

    assertThat(variants.accepts(key, headers("Accept-Language", "fr"), List.of())).isFalse();

    assertThat(variants.keyFor(URL, headers("Accept-Language", "fr"))).isEqualTo(URL);
  }

  @Test
  void variant_acceptEncodingNormalizedToTheCodingsAccepted() {
    List<String> names = List.of("accept-encoding");

    assertThat(Variants.variant(names, headers("Accept-Encoding", "gzip, deflate, br")))
        .isEqualTo(Variants.variant(names, headers("Accept-Encoding", "BR;q=1.0,gzip", "Accept-Encoding", "deflate")))
        .isEqualTo("accept-encoding: br,deflate,gzip");
    assertThat(Variants.variant(names, headers("Accept-Encoding", "gzip;q=0, br"))).isEqualTo("accept-encoding: br");
    assertThat(Variants.variant(names, headers("Accept-Encoding", "gzip;q=0.000"))).isEqualTo("accept-encoding: ");
  }

  @Test
  void variant_otherFieldsJoinedWithoutSpacesAroundCommas_absentFieldEmpty() {
    List<String> names = List.of("accept-language", "x-class");

    assertThat(Variants.variant(names, headers("Accept-Language", "fr , en")))
        .isEqualTo("accept-language: fr,en\nx-class: ");
  }

  @Test
  void forget_returnsTheVariantsLookedUp() {
    Variants variants = new Variants();
    variants.accepts(URL, headers(), List.of("accept-language"));
    CacheKey fr = variants.keyFor(URL, headers("Accept-Language", "fr"));
    CacheKey en = variants.keyFor(URL, headers("Accept-Language", "en"));

    assertThat(variants.forget(URL)).containsExactlyInAnyOrder(fr, en);
    assertThat(variants.keyFor(URL, headers("Accept-Language", "fr"))).isEqualTo(URL);
  }

  private static StoredObject stored(CacheKey key, String vary) {
    return new StoredObject(key, 1, 200, headers("Vary", vary), 10, 4, 0, 0, 0, 0, 60, true);
  }

  @Test
  void learn_storedVariant_nextRequestLookedUpUnderItsVariant() {
    Variants variants = new Variants();
    CacheKey french = URL.withVariant("accept-language: fr");

    variants.learn(stored(french, "Accept-Language"));

    assertThat(variants.keyFor(URL, headers("Accept-Language", "fr"))).isEqualTo(french);
  }

  @Test
  void learn_namesLearntSinceStartUpWin_andVaryStarOrPrimaryKeysTeachNothing() {
    Variants variants = new Variants();
    variants.accepts(URL, headers(), List.of("accept-encoding")); // learnt from the origin since start-up

    variants.learn(stored(URL.withVariant("accept-language: fr"), "Accept-Language"));
    CacheKey other = new CacheKey("cloud", "/books/b2/manifest.json");
    variants.learn(stored(other.withVariant("x: 1"), "*"));
    variants.learn(stored(other, "Accept-Language"));

    assertThat(variants.namesOf(URL)).containsExactly("accept-encoding");
    assertThat(variants.namesOf(other)).isNull();
  }
}
