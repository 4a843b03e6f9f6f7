package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathOverridesTest {

  private static final PathOverride BOOKS = new PathOverride("/books/", null, true);
  private static final PathOverride VERSIONED =
      new PathOverride("/books/v/", Duration.ofDays(30), false);
  private static final PathOverride VERSION_3 =
      new PathOverride("/books/v/3", Duration.ofDays(1), true);

  /** Listed shortest first, so that the first match in configuration order is never the answer. */
  private static final PathOverrides OVERRIDES =
      new PathOverrides(List.of(BOOKS, VERSIONED, VERSION_3));

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/books/v/3/page.pdf | /books/v/3", "/books/v/30/page.pdf | /books/v/3",
      "/books/v/4/page.pdf | /books/v/", "/books/v/ | /books/v/", "/books/v | /books/",
      "/books/manifest.json | /books/", "/books/ | /books/"})
  void find_matchingPath_returnsLongestPrefix(String path, String prefix) {
    assertThat(OVERRIDES.find(path).pathPrefix()).isEqualTo(prefix);
  }

  @Test
  void find_listedLongestFirst_returnsSameLongestPrefix() {
    PathOverrides reversed = new PathOverrides(List.of(VERSION_3, VERSIONED, BOOKS));

    assertThat(reversed.find("/books/v/3/page.pdf")).isEqualTo(VERSION_3);
    assertThat(reversed.find("/books/v/4/page.pdf")).isEqualTo(VERSIONED);
    assertThat(reversed.find("/books/x")).isEqualTo(BOOKS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/book", "/books", "/video/books/", "", "books/v/3"})
  void find_noPrefixMatches_returnsNull(String path) {
    assertThat(OVERRIDES.find(path)).isNull();
  }

  @Test
  void find_rootPrefix_matchesEveryPath() {
    PathOverride root = new PathOverride("/", Duration.ofHours(1), false);
    PathOverrides overrides = new PathOverrides(List.of(root, BOOKS));

    assertThat(overrides.find("/")).isEqualTo(root);
    assertThat(overrides.find("/video/a.mp4")).isEqualTo(root);
    assertThat(overrides.find("/books/a.pdf")).isEqualTo(BOOKS);
  }

  @Test
  void find_none_returnsNull() {
    assertThat(PathOverrides.NONE.find("/books/v/3/page.pdf")).isNull();
    assertThat(PathOverrides.NONE.list()).isEmpty();
  }

  @Test
  void list_keepsConfigurationOrder() {
    assertThat(OVERRIDES.list()).containsExactly(BOOKS, VERSIONED, VERSION_3);
  }

  @Test
  void list_isImmutableCopy() {
    List<PathOverride> source = new ArrayList<>(List.of(BOOKS));
    PathOverrides overrides = new PathOverrides(source);
    source.add(VERSIONED);

    assertThat(overrides.list()).containsExactly(BOOKS);
    assertThat(overrides.find("/books/v/1")).isEqualTo(BOOKS);
    assertThatThrownBy(() -> overrides.list().add(VERSIONED))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void new_duplicatePrefix_fails() {
    PathOverride again = new PathOverride("/books/", Duration.ofDays(1), false);

    assertThatThrownBy(() -> new PathOverrides(List.of(BOOKS, again)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("overrides: \"/books/\" (expected each prefix once)");
  }

  @Test
  void equals_sameListInSameOrder_isEqual() {
    assertThat(new PathOverrides(List.of(BOOKS, VERSIONED)))
        .isEqualTo(new PathOverrides(List.of(BOOKS, VERSIONED)))
        .hasSameHashCodeAs(new PathOverrides(List.of(BOOKS, VERSIONED)))
        .isNotEqualTo(new PathOverrides(List.of(VERSIONED, BOOKS)));
    assertThat(new PathOverrides(List.of())).isEqualTo(PathOverrides.NONE);
  }
}
