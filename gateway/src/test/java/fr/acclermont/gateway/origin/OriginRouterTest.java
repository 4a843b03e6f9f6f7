package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.config.OriginConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginRouterTest {

  private static final OriginConnectionPool.Connector NEVER = (upstream, loop) -> {
    throw new AssertionError("the router never connects");
  };

  private final OriginRoute cloud = route("cloud", "http://cloud.example/", "/");
  private final OriginRoute books = route("books", "http://Books.Example:80/base/", "/books/", "/manuels/");
  private final OriginRoute media = route("media", "http://media.example:8080", "/media/");
  private final OriginRouter router = new OriginRouter(List.of(cloud, books, media));

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      // configured without a port: the default port may be written or not
      "cloud.example, true",
      "CLOUD.example, true",
      "cloud.example:80, true",
      // configured with an explicit :80: likewise
      "books.example, true",
      "books.example:80, true",
      // any other port is another authority
      "cloud.example:8080, false",
      "books.example:8080, false",
      "media.example:8080, true",
      "media.example, false",
      "media.example:80, false",
      "evil.example, false",
      "cloud.example.evil.example, false",
      "cloud.example:, false",
  })
  void isOriginAuthority_hostAndPort_onlyConfiguredOrigins(String authority, boolean expected) {
    assertThat(router.isOriginAuthority(authority)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
      "/, cloud",
      "/index.html, cloud",
      "/books, cloud",
      "/books/, books",
      "/books/tome-1.pdf, books",
      "/manuels/x, books",
      "/media/video.mp4, media",
      "/mediatheque, cloud",
  })
  void route_path_longestPrefixWins(String path, String expected) {
    assertThat(router.route(path).name()).isEqualTo(expected);
  }

  @Test
  void route_noPrefixMatches_null() {
    OriginRouter booksOnly = new OriginRouter(List.of(books));

    assertThat(booksOnly.route("/other")).isNull();
    assertThat(booksOnly.route("/")).isNull();
  }

  @Test
  void routes_configurationOrder_kept() {
    assertThat(router.routes()).containsExactly(cloud, books, media);
  }

  @Test
  void route_configuredUrl_hostPortAuthorityAndBasePath() {
    assertThat(cloud.port()).isEqualTo(80);
    assertThat(cloud.authority()).isEqualTo("cloud.example");
    assertThat(media.authority()).isEqualTo("media.example:8080");
    assertThat(books.targetFor("/books/a?x=1")).isEqualTo("/base/books/a?x=1");
    assertThat(cloud.targetFor("/a")).isEqualTo("/a");
  }

  static OriginRoute route(String name, String url, String... paths) {
    return new OriginRoute(new OriginConfig(name, URI.create(url), List.of(paths), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(30), 4, 16), NEVER);
  }
}
