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

  // ---- Vary and request field normalization (RFC 9111 4.1)

  @Test
  void names_caseInsensitive_sameListWhateverTheCase() {
    assertThat(Variants.names(headers("Vary", "accept-encoding")))
        .isEqualTo(Variants.names(headers("Vary", "Accept-Encoding")))
        .isEqualTo(Variants.names(headers("Vary", "ACCEPT-ENCODING")))
        .containsExactly("accept-encoding");
  }

  @Test
  void names_whitespaceRepeatedNamesAndEmptyElements_ignored() {
    HttpHeaders response = headers("Vary", "Accept-Encoding, accept-encoding , ,Accept-Language", "Vary", ",\t,");

    assertThat(Variants.names(response)).containsExactly("accept-encoding", "accept-language");
  }

  @Test
  void names_severalLines_combined() {
    HttpHeaders response = headers("Vary", "Accept-Language", "Vary", "Origin", "Vary", "accept-encoding");

    assertThat(Variants.names(response)).containsExactly("accept-encoding", "accept-language", "origin");
  }

  @Test
  void names_starAmongOthers_orOnItsOwnLine_isJustStar() {
    assertThat(Variants.names(headers("Vary", "Accept-Encoding, *"))).containsExactly("*");
    assertThat(Variants.names(headers("Vary", "Accept-Encoding", "Vary", "*"))).containsExactly("*");
    assertThat(Variants.names(headers("Vary", ", ,"))).isEmpty();
  }

  @Test
  void storageKey_varyNamesInAnyCaseAndOrder_sameKey() {
    HttpHeaders request = headers("Accept-Encoding", "gzip", "Accept-Language", "fr");

    assertThat(Variants.storageKey(URL, request, Variants.names(headers("Vary", "accept-language, ACCEPT-ENCODING"))))
        .isEqualTo(Variants.storageKey(URL, request,
            Variants.names(headers("Vary", "Accept-Encoding", "Vary", "Accept-Language, accept-language"))));
  }

  @Test
  void variant_fieldOnSeveralLines_sameAsOnOneLine() {
    List<String> names = List.of("accept-language", "x-class");

    assertThat(Variants.variant(names, headers("Accept-Language", "fr", "Accept-Language", "en;q=0.5",
        "X-Class", "6e", "X-Class", "b")))
        .isEqualTo(Variants.variant(names, headers("Accept-Language", "fr, en;q=0.5", "X-Class", "6e , b")))
        .isEqualTo("accept-language: fr,en;q=0.5\nx-class: 6e,b");
  }

  @Test
  void variant_acceptLanguage_caseWhitespaceAndEmptyElementsInsignificant_orderKept() {
    List<String> names = List.of("accept-language");

    assertThat(Variants.variant(names, headers("Accept-Language", "FR-fr ; Q=1, , en ;q=0.5,")))
        .isEqualTo(Variants.variant(names, headers("Accept-Language", "fr-FR;q=1,en;q=0.5")))
        .isEqualTo("accept-language: fr-fr;q=1,en;q=0.5");
    assertThat(Variants.variant(names, headers("Accept-Language", "en, fr")))
        .as("the order of equal weights is the client's preference")
        .isNotEqualTo(Variants.variant(names, headers("Accept-Language", "fr, en")));
  }

  @Test
  void variant_accept_mediaRangeAndParameterNamesCaseInsensitive_valuesKept() {
    List<String> names = List.of("accept");

    assertThat(Variants.variant(names, headers("Accept", "Text/HTML ; Level=1, application/JSON;Q=0.9")))
        .isEqualTo(Variants.variant(names, headers("Accept", "text/html;level=1", "Accept", "application/json;q=0.9")))
        .isEqualTo("accept: text/html;level=1,application/json;q=0.9");
    assertThat(Variants.variant(names, headers("Accept", "text/plain;format=Flowed")))
        .isEqualTo("accept: text/plain;format=Flowed");
    assertThat(Variants.variant(names, headers("Accept", "text/plain;x=\"A, , B\"")))
        .as("a quoted string is left whole").isEqualTo("accept: text/plain;x=\"A, , B\"");
  }

  @Test
  void variant_acceptEncoding_identityImpliedAliasesAndCase() {
    List<String> names = List.of("accept-encoding");

    assertThat(Variants.variant(names, headers("Accept-Encoding", "GZip, identity")))
        .isEqualTo(Variants.variant(names, headers("Accept-Encoding", "x-gzip")))
        .isEqualTo("accept-encoding: gzip");
    assertThat(Variants.variant(names, headers("Accept-Encoding", "gzip, identity;q=0")))
        .isEqualTo(Variants.variant(names, headers("Accept-Encoding", "gzip, *;q=0")))
        .isEqualTo("accept-encoding: gzip,identity;q=0");
    assertThat(Variants.variant(names, headers("Accept-Encoding", "gzip, identity, *;q=0")))
        .isEqualTo("accept-encoding: gzip");
  }

  @Test
  void variant_absentField_matchesOnlyAbsence_notAnEmptyOrIdentityOnlyOne() {
    List<String> names = List.of("accept-encoding", "accept-language");
    String absent = Variants.variant(names, headers());

    assertThat(absent).isEqualTo("accept-encoding: \naccept-language: ");
    assertThat(Variants.variant(names, headers("Accept-Encoding", "", "Accept-Language", ", ,")))
        .isEqualTo(Variants.variant(names, headers("Accept-Encoding", "identity", "Accept-Language", "")))
        .isEqualTo(Variants.variant(names, headers("Accept-Encoding", "br;q=0", "Accept-Language", ",")))
        .isEqualTo("accept-encoding: \"\"\naccept-language: \"\"")
        .isNotEqualTo(absent);
  }

  @Test
  void keyFor_requestsDifferingInsignificantly_sameStoredVariant() {
    Variants variants = new Variants();
    CacheKey stored = Variants.storageKey(URL, headers("Accept-Encoding", "gzip, deflate, br",
        "Accept-Language", "fr-FR, fr;q=0.9"), Variants.names(headers("Vary", "accept-encoding , Accept-Language")));
    variants.taught(stored(stored, "Accept-Language", "Vary", "accept-encoding"));

    assertThat(variants.keyFor(URL, headers("Accept-Encoding", "BR", "Accept-Encoding", "deflate ,gzip",
        "Accept-Language", "fr-fr ,", "Accept-Language", "FR; q=0.9"))).isEqualTo(stored);
    assertThat(variants.keyFor(URL, headers("Accept-Encoding", "gzip, deflate, br", "Accept-Language", "fr")))
        .isNotEqualTo(stored);
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
    assertThat(Variants.variant(names, headers("Accept-Encoding", "gzip;q=0.000")))
        .as("present, accepting no coding: the identity only, not the absent field")
        .isEqualTo("accept-encoding: \"\"");
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

  private static StoredObject stored(CacheKey key, String vary, String... more) {
    HttpHeaders headers = headers(more).add("Vary", vary);
    return new StoredObject(key, 1, 200, headers, 10, 4, 0, 0, 0, 0, 60, true);
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
