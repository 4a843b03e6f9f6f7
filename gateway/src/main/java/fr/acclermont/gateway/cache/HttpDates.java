package fr.acclermont.gateway.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A strict parser of HTTP-dates (RFC 9110 5.6.7): IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT})
 * and the two obsolete forms, rfc850-date ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime-date
 * ({@code Sun Nov  6 08:49:37 1994}), exactly as the grammar spells them: names are case-sensitive,
 * spaces single, fields of fixed width, the zone {@code GMT} only. Anything else ({@code UTC}, a
 * two-digit year in IMF form, a missing comma, a one-digit hour, "0") is not a date. The day name is
 * not checked against the date, as the grammar does not ask it. It never throws and is linear in
 * the input. The only state it reads is the clock, for rfc850-date's century, unless given "now".
 */
public final class HttpDates {

  /** What {@link #parse} returns for a value that is not an HTTP-date. */
  public static final long INVALID = Long.MIN_VALUE;

  private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
  private static final List<String> LONG_DAYS =
      List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
  private static final List<String> MONTHS =
      List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

  private HttpDates() {
  }

  /**
   * The value of the header field {@code name} as epoch milliseconds, or {@link #INVALID} when it
   * is absent, not a date, or on several field lines (a singleton field given twice is invalid,
   * RFC 9110 5.5 and RFC 9111 5.3).
   */
  public static long field(HttpHeaders headers, CharSequence name) {
    if (!headers.contains(name)) {
      return INVALID; // without the list getAll would allocate: this runs on every hit
    }
    List<String> values = headers.getAll(name);
    return values.size() == 1 ? parse(values.get(0)) : INVALID;
  }

  /** {@link #parse(CharSequence, long)} with the system clock for rfc850-date's century. */
  public static long parse(CharSequence value) {
    return parse(value, System.currentTimeMillis());
  }

  /**
   * Epoch milliseconds of an HTTP-date, or {@link #INVALID}. Surrounding spaces and tabs are not
   * part of a field value (RFC 9110 5.5) and are skipped.
   *
   * @param nowMillis now, to read rfc850-date's two-digit year: the year with those digits that
   *     is not more than 50 years in the future (RFC 9110 5.6.7)
   */
  public static long parse(CharSequence value, long nowMillis) {
    if (value == null) {
      return INVALID;
    }
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) {
      start++;
    }
    while (end > start && isOws(value.charAt(end - 1))) {
      end--;
    }
    String s = value.subSequence(start, end).toString();
    if (s.length() == 29 && s.charAt(3) == ',') {
      return imfFixdate(s);
    }
    if (s.length() == 24 && s.charAt(3) == ' ') {
      return asctime(s);
    }
    return rfc850(s, nowMillis);
  }

  /** {@code Sun, 06 Nov 1994 08:49:37 GMT}: 29 characters. */
  private static long imfFixdate(String s) {
    if (DAYS.indexOf(s.substring(0, 3)) < 0 || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' '
        || s.charAt(16) != ' ' || !s.endsWith(" GMT")) {
      return INVALID;
    }
    return epochMillis(digits(s, 12, 4), MONTHS.indexOf(s.substring(8, 11)) + 1, digits(s, 5, 2), s, 17);
  }

  /** {@code Sun Nov  6 08:49:37 1994}: 24 characters, the day padded with a space. */
  private static long asctime(String s) {
    if (DAYS.indexOf(s.substring(0, 3)) < 0 || s.charAt(7) != ' ' || s.charAt(10) != ' ' || s.charAt(19) != ' ') {
      return INVALID;
    }
    int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
    return epochMillis(digits(s, 20, 4), MONTHS.indexOf(s.substring(4, 7)) + 1, day, s, 11);
  }

  /** {@code Sunday, 06-Nov-94 08:49:37 GMT}: the long day name, then 24 characters. */
  private static long rfc850(String s, long nowMillis) {
    int comma = s.indexOf(',');
    if (comma < 0 || LONG_DAYS.indexOf(s.substring(0, comma)) < 0 || s.length() != comma + 24) {
      return INVALID;
    }
    int d = comma + 1; // " 06-Nov-94 08:49:37 GMT"
    if (s.charAt(d) != ' ' || s.charAt(d + 3) != '-' || s.charAt(d + 7) != '-' || s.charAt(d + 10) != ' '
        || !s.endsWith(" GMT")) {
      return INVALID;
    }
    int twoDigits = digits(s, d + 8, 2);
    if (twoDigits < 0) {
      return INVALID;
    }
    int month = MONTHS.indexOf(s.substring(d + 4, d + 7)) + 1;
    int day = digits(s, d + 1, 2);
    // The year ending in these digits in this century, moved back a century when that is more
    // than 50 years ahead, or on one when the next century's is not.
    int thisYear = Instant.ofEpochMilli(nowMillis).atOffset(ZoneOffset.UTC).getYear();
    long fiftyYearsAhead = Instant.ofEpochMilli(nowMillis).atOffset(ZoneOffset.UTC).plusYears(50)
        .toInstant().toEpochMilli();
    int year = thisYear - Math.floorMod(thisYear, 100) + twoDigits;
    long millis = epochMillis(year, month, day, s, d + 11);
    if (millis == INVALID) {
      return INVALID;
    }
    if (millis > fiftyYearsAhead) {
      return epochMillis(year - 100, month, day, s, d + 11);
    }
    long nextCentury = epochMillis(year + 100, month, day, s, d + 11);
    return nextCentury != INVALID && nextCentury <= fiftyYearsAhead ? nextCentury : millis;
  }

  /** The instant of a date and of the {@code HH:MM:SS} at {@code time}; second 60 is a leap second. */
  private static long epochMillis(int year, int month, int day, String s, int time) {
    int hour = digits(s, time, 2);
    int minute = digits(s, time + 3, 2);
    int second = digits(s, time + 6, 2);
    if (year < 0 || month < 1 || day < 1 || s.charAt(time + 2) != ':' || s.charAt(time + 5) != ':'
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
      return INVALID;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return (((days * 24 + hour) * 60 + minute) * 60 + second) * 1000;
    } catch (DateTimeException e) {
      return INVALID; // 30 February, 31 April
    }
  }

  /** The decimal number of the {@code count} characters at {@code from}, or -1 unless all are digits. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
