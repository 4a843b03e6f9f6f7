package fr.acclermont.gateway.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand, to make stored responses stale without waiting (STYLE T6). */
public final class MutableClock extends Clock {

  /**
   * The instant it shows until advanced: it does not flow with the system clock, so an age or a
   * remaining lifetime a test asserts to the second cannot be shifted by a second boundary passing
   * between two requests.
   */
  private final long startMillis;
  private final AtomicLong offsetMillis = new AtomicLong();

  /** A clock showing the moment it is made, until advanced. */
  public MutableClock() {
    this(Instant.now());
  }

  /** A clock showing {@code start} until advanced: for exact dates in what a test asserts. */
  public MutableClock(Instant start) {
    this.startMillis = start.toEpochMilli();
  }

  /** Moves the clock forward. */
  public void advance(Duration duration) {
    offsetMillis.addAndGet(duration.toMillis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public long millis() {
    return startMillis + offsetMillis.get();
  }
}
