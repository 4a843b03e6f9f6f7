package fr.acclermont.gateway.status;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes served today per book: the first two segments of a request's path ({@code /books/maths-6e/}),
 * or its first one when there is no second. For the status page's "top 10": what the school reads.
 * At most {@link #MAX_BOOKS} books a day are told apart, the rest are counted under "other" (a client
 * requesting random paths must not grow this without bound). Thread-safe.
 */
public final class BookTraffic {

  /** The books told apart per day. */
  static final int MAX_BOOKS = 2000;
  /** Where the bytes of books past {@link #MAX_BOOKS} go. */
  public static final String OTHER = "(other)";

  /** One book and the body bytes served from it today. */
  public record Book(String prefix, long bytes) {}

  private final Clock clock;
  private final ZoneId zone;
  private volatile Day day;

  private record Day(LocalDate date, Map<String, LongAdder> books) {}

  public BookTraffic(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
    this.day = new Day(today(), new ConcurrentHashMap<>());
  }

  /** Counts {@code bytes} of body served for the request path {@code pathAndQuery}. */
  public void add(String pathAndQuery, long bytes) {
    if (bytes <= 0) {
      return;
    }
    Day current = currentDay();
    String book = bookOf(pathAndQuery);
    LongAdder counter = current.books().get(book);
    if (counter == null) {
      counter = current.books().size() < MAX_BOOKS
          ? current.books().computeIfAbsent(book, b -> new LongAdder())
          : current.books().computeIfAbsent(OTHER, b -> new LongAdder());
    }
    counter.add(bytes);
  }

  /** The {@code count} books served most today, most first. */
  public List<Book> top(int count) {
    return currentDay().books().entrySet().stream()
        .map(e -> new Book(e.getKey(), e.getValue().sum()))
        .sorted(Comparator.comparingLong(Book::bytes).reversed().thenComparing(Book::prefix))
        .limit(count)
        .toList();
  }

  private Day currentDay() {
    Day current = day;
    LocalDate today = today();
    if (!current.date().equals(today)) {
      synchronized (this) {
        if (!day.date().equals(today)) {
          day = new Day(today, new ConcurrentHashMap<>());
        }
        current = day;
      }
    }
    return current;
  }

  private LocalDate today() {
    return Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate();
  }

  /** {@code /books/maths-6e/}: the path up to its second slash after the first, query dropped. */
  static String bookOf(String pathAndQuery) {
    int end = pathAndQuery.indexOf('?');
    String path = end < 0 ? pathAndQuery : pathAndQuery.substring(0, end);
    int first = path.indexOf('/', 1);
    if (first < 0) {
      return path;
    }
    int second = path.indexOf('/', first + 1);
    return second < 0 ? path.substring(0, first + 1) : path.substring(0, second + 1);
  }
}
