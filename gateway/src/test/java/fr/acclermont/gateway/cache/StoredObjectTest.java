package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoredObjectTest {

  private static final CacheKey KEY = new CacheKey("cloud", "/a.bin");
  /** When the response arrived; each test reads the tier's clock at some offset from it. */
  private static final Instant RESPONSE = Instant.parse("2025-03-01T10:00:00Z");

  @ParameterizedTest(name = "length {0}, slice size {1}")
  @CsvSource({
      "0, 4, 0",
      "1, 4, 1",
      "3, 4, 1",
      "4, 4, 1",
      "5, 4, 2",
      "8, 4, 2",
      "9, 4, 3",
      "1048576, 1048576, 1",
      "5368709120, 1048576, 5120",
      "5368709121, 1048576, 5121",
  })
  void sliceCount_lengthAndSliceSize_ceilingOfQuotient(long length, int sliceSize, int expected) {
    assertThat(object(length, sliceSize, 0, 60).sliceCount()).isEqualTo(expected);
  }

  @Test
  void slice_index_keyOfThisVersion() {
    StoredObject object = new StoredObject(KEY, 42, 200, new DefaultHttpHeaders(), 10, 4, 0, 0, 0, 0, 60, true);

    assertThat(object.slice(2)).isEqualTo(new SliceKey(KEY, 42, 2));
  }

  @Test
  void constructor_negativeLength_rejected() {
    assertThatThrownBy(() -> object(-1, 4, 0, 60)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_nonPositiveSliceSize_rejected() {
    assertThatThrownBy(() -> object(10, 0, 0, 60)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} s after the response")
  @CsvSource({"0, true, 60", "59, true, 1", "60, false, 0", "61, false, -1", "3600, false, -3540"})
  void isFreshAndTtl_fixedClock_lifetimeMinusResidentTime(long secondsLater, boolean fresh, long ttl) {
    StoredObject object = object(100, 4, 0, 60);
    long now = clockAt(secondsLater).millis();

    assertThat(object.isFresh(now)).isEqualTo(fresh);
    assertThat(object.ttl(now)).isEqualTo(ttl);
    assertThat(object.age(now)).isEqualTo(secondsLater);
  }

  @ParameterizedTest(name = "{0} s after the response")
  @CsvSource({"0, true, 10", "9, true, 1", "10, false, 0"})
  void isFreshAndTtl_ageHeader_countsAgainstLifetime(long secondsLater, boolean fresh, long ttl) {
    StoredObject object = object(100, 4, 50, 60);
    long now = clockAt(secondsLater).millis();

    assertThat(object.isFresh(now)).isEqualTo(fresh);
    assertThat(object.ttl(now)).isEqualTo(ttl);
  }

  @Test
  void isFresh_zeroLifetime_neverFresh() {
    assertThat(object(100, 4, 0, 0).isFresh(clockAt(0).millis())).isFalse();
  }

  private static Clock clockAt(long secondsAfterResponse) {
    return Clock.fixed(RESPONSE.plus(Duration.ofSeconds(secondsAfterResponse)), ZoneOffset.UTC);
  }

  /** An object fetched in no time, with {@code Date} equal to the response time. */
  private static StoredObject object(long length, int sliceSize, long ageHeader, long lifetime) {
    long t = RESPONSE.toEpochMilli();
    return new StoredObject(KEY, 1, 200, new DefaultHttpHeaders(), length, sliceSize, t, t, t, ageHeader, lifetime, true);
  }
}
