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
  void storageKey_theRequestsVariantForTheAnswersVary_pure() {
    Variants variants = new Variants();

    CacheKey stored = Variants.storageKey(URL, headers("Accept-Language", "fr"), List.of("accept-language"));

    assertThat(stored).isEqualTo(URL.withVariant("accept-language: fr"));
    assertThat(Variants.storageKey(stored, headers("Accept-Language", "fr"), List.of())).isEqualTo(URL);
    assertThat(variants.namesOf(URL)).as("nothing learnt until taught").isNull();
  }

  @Test
  void taught_varyingAnswer_laterRequestsLookedUpUnderTheirVariant() {
    Variants variants = new Variants();
    CacheKey french = URL.withVariant("accept-language: fr");

    variants.taught(stored(french, "Accept-Language"));

    assertThat(variants.namesOf(URL)).containsExactly("accept-language");
    assertThat(variants.keyFor(URL, headers("Accept-Language", "fr"))).isEqualTo(french);
    assertThat(variants.keyFor(URL, headers("Accept-Language", "en")).variant()).isEqualTo("accept-language: en");
  }

  @Test
  void taught_answerThatStoppedVarying_forgetsTheUrl() {
    Variants variants = new Variants();
    variants.taught(stored(URL.withVariant("accept-language: fr"), "Accept-Language"));

    variants.taught(new StoredObject(URL, 2, 200, headers(), 10, 4, 0, 0, 0, 0, 60, true));

    assertThat(variants.keyFor(URL, headers("Accept-Language", "fr"))).isEqualTo(URL);
  }

  @Test
  void taught_namesChangedBetweenVersions_newListReplacesTheOld_oldVariantsStillInvalidated() {
    Variants variants = new Variants();
    CacheKey byLanguage = URL.withVariant("accept-language: fr");
    variants.taught(stored(byLanguage, "Accept-Language"));
    CacheKey byCoding = URL.withVariant("accept-encoding: gzip");

    variants.taught(stored(byCoding, "Accept-Encoding"));

    assertThat(variants.keyFor(URL, headers("Accept-Language", "en", "Accept-Encoding", "gzip"))).isEqualTo(byCoding);
    assertThat(variants.forget(URL)).contains(byLanguage, byCoding);
  }

  @Test
  void varyOnCoding_encodedAnswerWithoutVary_variesOnAcceptEncoding() {
    HttpHeaders gzip = headers("Content-Encoding", "gzip");
    HttpHeaders already = headers("Content-Encoding", "br", "Vary", "Accept-Encoding, Origin");
    HttpHeaders identity = headers("Content-Encoding", "identity");
    HttpHeaders star = headers("Content-Encoding", "gzip", "Vary", "*");

    Variants.varyOnCoding(gzip);
    Variants.varyOnCoding(already);
    Variants.varyOnCoding(identity);
    Variants.varyOnCoding(star);

    assertThat(Variants.names(gzip)).containsExactly("accept-encoding");
    assertThat(already.getAll("Vary")).containsExactly("Accept-Encoding, Origin");
    assertThat(identity.contains("Vary")).isFalse();
    assertThat(Variants.names(star)).containsExactly("*");
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
    variants.taught(stored(URL.withVariant("accept-language: fr"), "Accept-Language"));
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
    variants.taught(stored(URL.withVariant("accept-encoding: "), "Accept-Encoding")); // learnt from the origin since start-up

    variants.learn(stored(URL.withVariant("accept-language: fr"), "Accept-Language"));
    CacheKey other = new CacheKey("cloud", "/books/b2/manifest.json");
    variants.learn(stored(other.withVariant("x: 1"), "*"));
    variants.learn(stored(other, "Accept-Language"));

    assertThat(variants.namesOf(URL)).containsExactly("accept-encoding");
    assertThat(variants.namesOf(other)).isNull();
  }

  // ---- the cap (cache.max-variants)

  @Test
  void admit_belowCap_takesAPlace_atCap_refusesANewVariantButNotAStoredOne() {
    Variants variants = new Variants(2);
    variants.taught(stored(URL.withVariant("accept-language: fr"), "Accept-Language"));
    StoredObject english = stored(URL.withVariant("accept-language: en"), "Accept-Language");
    StoredObject german = stored(URL.withVariant("accept-language: de"), "Accept-Language");

    assertThat(variants.admit(english, key -> true)).isTrue();
    variants.taught(english);
    assertThat(variants.admit(german, key -> true)).isFalse();
    assertThat(variants.admit(english, key -> true)).as("a new version of a stored variant").isTrue();
    assertThat(variants.refused()).isEqualTo(1);
    assertThat(variants.full(german.key(), key -> true)).isTrue();
    assertThat(variants.full(english.key(), key -> true)).isFalse();
    assertThat(variants.storedCount(URL)).isEqualTo(2);
  }

  @Test
  void admit_atCap_variantsNoLongerHeldArePruned_newOneAdmitted() {
    Variants variants = new Variants(2);
    CacheKey french = URL.withVariant("accept-language: fr");
    variants.taught(stored(french, "Accept-Language"));
    variants.taught(stored(URL.withVariant("accept-language: en"), "Accept-Language"));
    StoredObject german = stored(URL.withVariant("accept-language: de"), "Accept-Language");

    assertThat(variants.full(german.key(), key -> !key.equals(french))).isFalse();
    assertThat(variants.admit(german, key -> !key.equals(french))).isTrue();
    assertThat(variants.storedCount(URL)).isEqualTo(2);
    assertThat(variants.refused()).isZero();
  }

  @Test
  void admit_answerTeachingOtherNames_alwaysAdmitted_andCountsAfresh() {
    Variants variants = new Variants(1);
    variants.taught(stored(URL.withVariant("accept-language: fr"), "Accept-Language"));
    StoredObject byCoding = stored(URL.withVariant("accept-encoding: gzip"), "Accept-Encoding");

    assertThat(variants.admit(byCoding, key -> true)).isTrue();
    variants.taught(byCoding);
    assertThat(variants.storedCount(URL)).isEqualTo(1);
    assertThat(variants.full(URL.withVariant("accept-encoding: br"), key -> true)).isTrue();
  }

  @Test
  void keyFor_randomValues_listBounded_storedVariantsStillInvalidated() {
    Variants variants = new Variants(2);
    CacheKey french = URL.withVariant("accept-language: fr");
    variants.taught(stored(french, "Accept-Language"));
    for (int i = 0; i < 10_000; i++) {
      variants.keyFor(URL, headers("Accept-Language", "x" + i));
    }

    assertThat(variants.forget(URL)).hasSizeLessThanOrEqualTo(64).contains(french);
  }
}
