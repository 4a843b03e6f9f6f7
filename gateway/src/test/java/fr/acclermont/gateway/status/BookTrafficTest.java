package fr.acclermont.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Bytes per book today: keyed by the path's first two segments, reset at local midnight, bounded. */
class BookTrafficTest {

  private final MutableClock clock = new MutableClock();

  @Test
  void bookOf_firstTwoSegments() {
    assertThat(BookTraffic.bookOf("/books/maths-6e/assets/css/a.css")).isEqualTo("/books/maths-6e/");
    assertThat(BookTraffic.bookOf("/books/maths-6e/manifest.json?v=2")).isEqualTo("/books/maths-6e/");
    assertThat(BookTraffic.bookOf("/books/index.html")).isEqualTo("/books/");
    assertThat(BookTraffic.bookOf("/favicon.ico")).isEqualTo("/favicon.ico");
  }

  @Test
  void top_mostServedFirst_limited() {
    BookTraffic books = new BookTraffic(clock, ZoneId.of("UTC"));
    books.add("/books/maths-6e/a.pdf", 300);
    books.add("/books/histoire-5e/b.css", 100);
    books.add("/books/maths-6e/b.css", 50);
    books.add("/books/svt-4e/c.js", 200);
    books.add("/books/svt-4e/c.js", 0); // a HEAD or a 304: nothing served

    assertThat(books.top(2)).containsExactly(new BookTraffic.Book("/books/maths-6e/", 350),
        new BookTraffic.Book("/books/svt-4e/", 200));
  }

  @Test
  void nextDay_countsStartAgain() {
    BookTraffic books = new BookTraffic(clock, ZoneId.of("UTC"));
    books.add("/books/maths-6e/a.pdf", 300);
    clock.advance(Duration.ofDays(1));

    assertThat(books.top(10)).isEmpty();
  }

  @Test
  void pastTheCap_countedAsOther() {
    BookTraffic books = new BookTraffic(clock, ZoneId.of("UTC"));
    for (int i = 0; i < BookTraffic.MAX_BOOKS + 50; i++) {
      books.add("/random/" + i + "/x", 1);
    }

    assertThat(books.top(1)).containsExactly(new BookTraffic.Book(BookTraffic.OTHER, 50));
  }
}
