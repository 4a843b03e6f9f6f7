package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PrefetchWindow}: its forms, whether an instant falls in it, and when it starts next. */
class PrefetchWindowTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  /** 2026-12-02 is a Wednesday. */
  private static ZonedDateTime at(String localDateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), PARIS);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "18:00-07:00 | 18:00-07:00", "8:00-9:30 | 08:00-09:30", "wed 13:00-18:00 | wed 13:00-18:00",
      "WED 13:00 - 18:00 | wed 13:00-18:00", "mon-fri 17:00-24:00 | mon,tue,wed,thu,fri 17:00-24:00",
      "sat,sun 00:00-24:00 | sat,sun 00:00-24:00", "sat-mon 10:00-11:00 | mon,sat,sun 10:00-11:00",
      "mon-sun 01:00-02:00 | 01:00-02:00", "00:00-24:00 | 00:00-24:00"})
  void parse_forms_giveCanonicalText(String text, String canonical) {
    PrefetchWindow window = PrefetchWindow.parse(text);

    assertThat(window).hasToString(canonical);
    assertThat(PrefetchWindow.parse(window.toString())).isEqualTo(window);
  }

  @Test
  void parse_weekdays_areMondayToFriday() {
    assertThat(PrefetchWindow.parse("mon-fri 17:00-18:00").days())
        .isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
  }

  @ParameterizedTest
  @ValueSource(strings = {"25:00-07:00", "18:00-18:00", "wed 13:00", "xyz 10:00-11:00", "10:60-11:00",
      "24:00-07:00", "10:00-24:01", "mon-fri18:00-07:00", "mon,,tue 10:00-11:00", "18h-7h", "", "monday 10:00-11:00"})
  void parse_notAWindow_refused(String text) {
    assertThatThrownBy(() -> PrefetchWindow.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // every night, crossing midnight
      "18:00-07:00 | 2026-12-02T18:00 | 2026-12-02T18:00", "18:00-07:00 | 2026-12-02T23:59 | 2026-12-02T18:00",
      "18:00-07:00 | 2026-12-03T06:59 | 2026-12-02T18:00", "18:00-07:00 | 2026-12-03T07:00 | ",
      "18:00-07:00 | 2026-12-02T17:59 | ", "18:00-07:00 | 2026-12-02T00:30 | 2026-12-01T18:00",
      // Wednesday afternoon only
      "wed 13:00-18:00 | 2026-12-02T13:00 | 2026-12-02T13:00", "wed 13:00-18:00 | 2026-12-02T18:00 | ",
      "wed 13:00-18:00 | 2026-12-03T14:00 | ",
      // Friday night into Saturday: its day is the day it starts
      "fri 18:00-07:00 | 2026-12-05T06:00 | 2026-12-04T18:00", "fri 18:00-07:00 | 2026-12-06T06:00 | ",
      // to midnight
      "mon-fri 17:00-24:00 | 2026-12-02T23:59 | 2026-12-02T17:00", "mon-fri 17:00-24:00 | 2026-12-03T00:00 | ",
      "00:00-24:00 | 2026-12-02T00:00 | 2026-12-02T00:00"})
  void occurrenceAt_givesTheStartOfTheOccurrence(String window, String now, String start) {
    ZonedDateTime found = PrefetchWindow.parse(window).occurrenceAt(at(now));

    assertThat(found).isEqualTo(start == null ? null : at(start));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "18:00-07:00 | 2026-12-02T10:00 | 2026-12-02T18:00", "18:00-07:00 | 2026-12-02T18:00 | 2026-12-03T18:00",
      "wed 13:00-18:00 | 2026-12-02T13:30 | 2026-12-09T13:00", "wed 13:00-18:00 | 2026-12-01T09:00 | 2026-12-02T13:00",
      "sat,sun 09:00-10:00 | 2026-12-02T09:00 | 2026-12-05T09:00"})
  void nextStart_isTheNextOccurrence(String window, String now, String next) {
    assertThat(PrefetchWindow.parse(window).nextStart(at(now))).isEqualTo(at(next));
  }

  @Test
  void endAfter_crossingMidnight_isTheNextDay() {
    PrefetchWindow window = PrefetchWindow.parse("18:00-07:00");

    assertThat(window.endAfter(at("2026-12-02T18:00"))).isEqualTo(at("2026-12-03T07:00"));
    assertThat(PrefetchWindow.parse("17:00-24:00").endAfter(at("2026-12-02T17:00"))).isEqualTo(at("2026-12-03T00:00"));
    assertThat(PrefetchWindow.parse("13:00-18:00").endAfter(at("2026-12-02T13:00"))).isEqualTo(at("2026-12-02T18:00"));
  }

  @Test
  void occurrenceAt_summerTimeStarts_theNightIsAnHourShorter() {
    // 2027-03-28 02:00 in Paris jumps to 03:00.
    PrefetchWindow window = PrefetchWindow.parse("01:00-04:00");

    assertThat(window.occurrenceAt(at("2027-03-28T03:30"))).isEqualTo(at("2027-03-28T01:00"));
    assertThat(window.occurrenceAt(at("2027-03-28T04:00"))).isNull();
  }
}
