package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A recurring time window in which prefetching may run ({@code prefetch.windows}), in the local
 * time of a zone: {@code 18:00-07:00} every day, {@code wed 13:00-18:00} on Wednesdays,
 * {@code mon-fri 17:00-24:00}, {@code sat,sun 00:00-24:00}. A window whose end is not after its
 * start crosses midnight: it ends the next day, and its days are the days it starts on
 * ({@code fri 18:00-07:00} runs from Friday 18:00 to Saturday 07:00). Days are English
 * three-letter names in any case, single ({@code wed}), ranges ({@code mon-fri}, wrapping:
 * {@code sat-mon}) and lists ({@code sat,sun}); none means every day. Immutable.
 *
 * @param days the days an occurrence starts on, never empty
 * @param startMinute the start, in minutes after midnight, 0..1439
 * @param endMinute the end, in minutes after midnight, 0..1440 (1440 is {@code 24:00}); at or
 *     before the start: the next day
 */
public record PrefetchWindow(Set<DayOfWeek> days, int startMinute, int endMinute) {

  /** The expected form, as quoted in error messages. */
  static final String FORM = "a window such as 18:00-07:00, wed 13:00-18:00 or mon-fri 17:00-24:00";

  private static final int DAY_MINUTES = 24 * 60;
  private static final Pattern WINDOW =
      Pattern.compile("(?:([A-Za-z,\\-]+)\\s+)?([0-9]{1,2}):([0-9]{2})\\s*-\\s*([0-9]{1,2}):([0-9]{2})");
  private static final Pattern DAY_RANGE = Pattern.compile("([A-Za-z]{3})(?:-([A-Za-z]{3}))?");

  /** Validates the components. */
  public PrefetchWindow {
    days = Set.copyOf(requireNonNull(days, "days"));
    if (days.isEmpty()) {
      throw new IllegalArgumentException("days: empty (expected at least one day)");
    }
    if (startMinute < 0 || startMinute >= DAY_MINUTES) {
      throw new IllegalArgumentException("startMinute: " + startMinute + " (expected: 0..1439)");
    }
    if (endMinute < 0 || endMinute > DAY_MINUTES) {
      throw new IllegalArgumentException("endMinute: " + endMinute + " (expected: 0..1440)");
    }
    if (startMinute == endMinute) {
      throw new IllegalArgumentException("an empty window: " + startMinute + "-" + endMinute);
    }
  }

  /**
   * Parses a window.
   *
   * @throws IllegalArgumentException if {@code text} is not a window: a bad day, an hour over 23 (or
   *     24:00 anywhere but at the end), minutes over 59, or a window of no length ({@code 18:00-18:00})
   */
  public static PrefetchWindow parse(String text) {
    requireNonNull(text, "text");
    Matcher m = WINDOW.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(text);
    }
    Set<DayOfWeek> days = m.group(1) == null ? EnumSet.allOf(DayOfWeek.class) : days(m.group(1));
    int start = minutes(m.group(2), m.group(3), false);
    int end = minutes(m.group(4), m.group(5), true);
    if (start == end) {
      throw new IllegalArgumentException(text);
    }
    return new PrefetchWindow(days, start, end);
  }

  private static Set<DayOfWeek> days(String text) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : text.split(",", -1)) {
      Matcher range = DAY_RANGE.matcher(part);
      if (!range.matches()) {
        throw new IllegalArgumentException(text);
      }
      DayOfWeek first = day(range.group(1));
      DayOfWeek last = range.group(2) == null ? first : day(range.group(2));
      for (DayOfWeek day = first; ; day = day.plus(1)) {
        days.add(day);
        if (day == last) {
          break;
        }
      }
    }
    return days;
  }

  private static DayOfWeek day(String name) {
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name)) {
        return day;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private static int minutes(String hours, String minutes, boolean end) {
    int h = Integer.parseInt(hours);
    int m = Integer.parseInt(minutes);
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
      throw new IllegalArgumentException(hours + ":" + minutes);
    }
    return h * 60 + m;
  }

  /** Whether the window ends the day after it starts. */
  public boolean crossesMidnight() {
    return endMinute <= startMinute;
  }

  /**
   * The start of the occurrence of this window that {@code now} falls in (its zone is the
   * window's), or null when {@code now} is outside the window. An occurrence runs from its start
   * (inclusive) to its end (exclusive).
   */
  public @Nullable ZonedDateTime occurrenceAt(ZonedDateTime now) {
    requireNonNull(now, "now");
    LocalDate today = now.toLocalDate();
    for (int back = 0; back <= 1; back++) {
      ZonedDateTime start = startOn(today.minusDays(back), now);
      if (start == null) {
        continue;
      }
      if (!now.isBefore(start) && now.isBefore(endAfter(start))) {
        return start;
      }
    }
    return null;
  }

  /** The start of the next occurrence after {@code now} (strictly), in {@code now}'s zone. */
  public ZonedDateTime nextStart(ZonedDateTime now) {
    requireNonNull(now, "now");
    LocalDate today = now.toLocalDate();
    for (int ahead = 0; ahead <= 8; ahead++) {
      ZonedDateTime start = startOn(today.plusDays(ahead), now);
      if (start != null && start.isAfter(now)) {
        return start;
      }
    }
    throw new IllegalStateException("no start within 8 days: " + this); // days is never empty
  }

  /** The end of the occurrence that starts at {@code start}. */
  public ZonedDateTime endAfter(ZonedDateTime start) {
    LocalDate day = start.toLocalDate();
    if (crossesMidnight() || endMinute == DAY_MINUTES) {
      day = day.plusDays(1);
    }
    LocalTime end = LocalTime.of((endMinute % DAY_MINUTES) / 60, endMinute % 60);
    return ZonedDateTime.of(day, end, start.getZone());
  }

  private @Nullable ZonedDateTime startOn(LocalDate day, ZonedDateTime zoneOf) {
    if (!days.contains(day.getDayOfWeek())) {
      return null;
    }
    return ZonedDateTime.of(day, LocalTime.of(startMinute / 60, startMinute % 60), zoneOf.getZone());
  }

  /** The window as written in the configuration, days first when not every day: {@code wed 13:00-18:00}. */
  @Override
  public String toString() {
    String time = clock(startMinute) + "-" + clock(endMinute);
    if (days.size() == DayOfWeek.values().length) {
      return time;
    }
    StringBuilder out = new StringBuilder();
    for (DayOfWeek day : EnumSet.copyOf(days)) {
      out.append(out.length() == 0 ? "" : ",")
          .append(day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT));
    }
    return out.append(' ').append(time).toString();
  }

  private static String clock(int minutes) {
    return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
  }
}
