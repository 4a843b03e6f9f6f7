package fr.acclermont.gateway.status;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes served today per book: the first two segments of a request's path ({@code /books/maths-6e/}),
 * or its first one when there is no second. For the status page's "top 10": what the school reads.
 * At most {@link #MAX_BOOKS} books a day are told apart, the rest are counted under "other" (a client
 * requesting random paths must not grow this without bound).
 *
 * <p>Every finished request adds to it, so {@link #add} allocates nothing for a book already seen: a
 * table of its own, open addressing, looked up by the characters of the path's book part in place
 * (a map would need the book as a new string per request). Thread-safe: lookups read the table
 * without a lock; a new book is inserted under one.
 */
public final class BookTraffic {

  /** The books told apart per day. */
  static final int MAX_BOOKS = 2000;
  /** Slots of the table: at most half full. */
  private static final int SLOTS = 4096;
  /** Where the bytes of books past {@link #MAX_BOOKS} go. */
  public static final String OTHER = "(other)";

  /** One book and the body bytes served from it today. */
  public record Book(String prefix, long bytes) {}

  /** One day's counts. */
  private static final class Day {
    final LocalDate date;
    final AtomicReferenceArray<String> books = new AtomicReferenceArray<>(SLOTS);
    final LongAdder[] bytes = new LongAdder[SLOTS];
    final LongAdder other = new LongAdder();
    int size;

    Day(LocalDate date) {
      this.date = date;
    }
  }

  private final Clock clock;
  private final ZoneId zone;
  private volatile Day day;

  public BookTraffic(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
    this.day = new Day(today());
  }

  /** Counts {@code bytes} of body served for the request path {@code pathAndQuery}. */
  public void add(String pathAndQuery, long bytes) {
    if (bytes <= 0) {
      return;
    }
    Day current = currentDay();
    int end = bookEnd(pathAndQuery);
    int hash = 0;
    for (int i = 0; i < end; i++) {
      hash = 31 * hash + pathAndQuery.charAt(i);
    }
    int slot = spread(hash);
    for (int probes = 0; probes < SLOTS; probes++, slot = (slot + 1) & (SLOTS - 1)) {
      String book = current.books.get(slot);
      if (book == null) {
        insert(current, pathAndQuery, end, slot, bytes);
        return;
      }
      if (book.length() == end && pathAndQuery.regionMatches(0, book, 0, end)) {
        current.bytes[slot].add(bytes);
        return;
      }
    }
    current.other.add(bytes);
  }

  /** A book not seen today: inserted at the first free slot from {@code slot}, under the day's lock. */
  private static void insert(Day day, String pathAndQuery, int end, int slot, long bytes) {
    synchronized (day) {
      for (int probes = 0; probes < SLOTS; probes++, slot = (slot + 1) & (SLOTS - 1)) {
        String book = day.books.get(slot);
        if (book == null) {
          if (day.size >= MAX_BOOKS) {
            break;
          }
          day.bytes[slot] = new LongAdder();
          day.bytes[slot].add(bytes);
          day.size++;
          day.books.set(slot, pathAndQuery.substring(0, end)); // published after its counter
          return;
        }
        if (book.length() == end && pathAndQuery.regionMatches(0, book, 0, end)) {
          day.bytes[slot].add(bytes); // inserted by another thread meanwhile
          return;
        }
      }
    }
    day.other.add(bytes);
  }

  /** The {@code count} books served most today, most first. */
  public List<Book> top(int count) {
    Day current = currentDay();
    List<Book> books = new ArrayList<>();
    for (int slot = 0; slot < SLOTS; slot++) {
      String book = current.books.get(slot);
      if (book != null) {
        books.add(new Book(book, current.bytes[slot].sum()));
      }
    }
    long other = current.other.sum();
    if (other > 0) {
      books.add(new Book(OTHER, other));
    }
    return books.stream()
        .sorted(Comparator.comparingLong(Book::bytes).reversed().thenComparing(Book::prefix))
        .limit(count)
        .toList();
  }

  private Day currentDay() {
    Day current = day;
    LocalDate today = today();
    if (!current.date.equals(today)) {
      synchronized (this) {
        if (!day.date.equals(today)) {
          day = new Day(today);
        }
        current = day;
      }
    }
    return current;
  }

  private LocalDate today() {
    return Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate();
  }

  private static int spread(int hash) {
    return (hash ^ (hash >>> 16)) & (SLOTS - 1);
  }

  /** Where the book part of {@code pathAndQuery} ends: after its second slash, or at the query. */
  private static int bookEnd(String pathAndQuery) {
    int query = pathAndQuery.indexOf('?');
    int pathEnd = query < 0 ? pathAndQuery.length() : query;
    int first = pathAndQuery.indexOf('/', 1);
    if (first < 0 || first >= pathEnd) {
      return pathEnd;
    }
    int second = pathAndQuery.indexOf('/', first + 1);
    return second < 0 || second >= pathEnd ? first + 1 : second + 1;
  }

  /** {@code /books/maths-6e/}: the path up to its second slash after the first, query dropped. */
  static String bookOf(String pathAndQuery) {
    return pathAndQuery.substring(0, bookEnd(pathAndQuery));
  }
}
