package fr.acclermont.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.status.TrafficHistory.Totals;
import fr.acclermont.gateway.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hourly history: what grew between samples lands in its hour; days are local; a restart keeps it. */
class TrafficHistoryTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  /** 10:30 in Paris on a school day. */
  private final MutableClock clock = new MutableClock(ZonedDateTime.of(2026, 12, 3, 10, 30, 0, 0, PARIS).toInstant());

  @TempDir
  Path dir;

  @Test
  void samples_deltasAddUpInTheirHour() {
    TrafficHistory history = new TrafficHistory(clock, PARIS, new Totals(1000, 500, 10, 5)); // totals before: not today's
    history.sample(new Totals(3000, 700, 14, 8));
    history.sample(new Totals(4000, 700, 15, 9));

    assertThat(history.today()).isEqualTo(new Totals(3000, 200, 5, 4));
    assertThat(history.today().savedBytes()).isEqualTo(2800);
    assertThat(history.today().requestHitRatio()).isEqualTo(0.8);
    assertThat(history.today().byteHitRatio()).isEqualTo(2800.0 / 3000);
  }

  @Test
  void lastHours_zeroFilled_currentHourLast() {
    TrafficHistory history = new TrafficHistory(clock, PARIS, TrafficHistory.ZERO);
    history.sample(new Totals(100, 10, 1, 0));
    clock.advance(Duration.ofHours(2));
    history.sample(new Totals(300, 10, 2, 1));

    List<TrafficHistory.Hour> hours = history.lastHours(24);

    assertThat(hours).hasSize(24);
    assertThat(hours.get(23).traffic()).isEqualTo(new Totals(200, 0, 1, 1));
    assertThat(hours.get(22).traffic()).isEqualTo(TrafficHistory.ZERO);
    assertThat(hours.get(21).traffic()).isEqualTo(new Totals(100, 10, 1, 0));
    assertThat(hours.get(23).startMillis() - hours.get(0).startMillis()).isEqualTo(Duration.ofHours(23).toMillis());
  }

  @Test
  void todayStartsAtLocalMidnight_sevenDaysIncludeSixDaysBefore() {
    TrafficHistory history = new TrafficHistory(clock, PARIS, TrafficHistory.ZERO);
    history.sample(new Totals(100, 0, 1, 1)); // 3 December, 10:30
    clock.advance(Duration.ofHours(14)); // 4 December, 00:30 in Paris (23:30 UTC the day before)
    history.sample(new Totals(150, 0, 2, 2));

    assertThat(history.today()).isEqualTo(new Totals(50, 0, 1, 1));
    assertThat(history.lastSevenDays()).isEqualTo(new Totals(150, 0, 2, 2));
    clock.advance(Duration.ofDays(7));
    history.sample(new Totals(150, 0, 2, 2));
    assertThat(history.lastSevenDays()).isEqualTo(TrafficHistory.ZERO);
  }

  @Test
  void saveThenLoad_anotherProcessKeepsTheHours() throws Exception {
    TrafficHistory before = new TrafficHistory(clock, PARIS, TrafficHistory.ZERO);
    before.sample(new Totals(5000, 1000, 20, 15));
    Path file = dir.resolve("status/traffic-history.json");
    before.save(file);

    TrafficHistory after = new TrafficHistory(clock, PARIS, TrafficHistory.ZERO); // meters restart at 0
    assertThat(after.load(file)).isTrue();
    after.sample(new Totals(1000, 0, 1, 1));

    assertThat(after.today()).isEqualTo(new Totals(6000, 1000, 21, 16));
  }

  @Test
  void damagedOrMissingFile_ignored() throws Exception {
    TrafficHistory history = new TrafficHistory(clock, PARIS, TrafficHistory.ZERO);
    assertThat(history.load(dir.resolve("none.json"))).isFalse();
    Path damaged = Files.writeString(dir.resolve("damaged.json"), "{\"version\":1,\"hours\":[[1,2");
    assertThat(history.load(damaged)).isFalse();
    assertThat(history.today()).isEqualTo(TrafficHistory.ZERO);
  }

  @Test
  void hoursOlderThanEightDays_dropped() {
    TrafficHistory history = new TrafficHistory(clock, PARIS, TrafficHistory.ZERO);
    history.sample(new Totals(100, 0, 1, 0));
    clock.advance(Duration.ofDays(9));
    history.sample(new Totals(100, 0, 1, 0));

    assertThat(history.lastHours(24 * 9).stream().mapToLong(h -> h.traffic().servedBytes()).sum()).isZero();
  }
}
