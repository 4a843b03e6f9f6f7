package fr.acclermont.gateway.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/** Records the leak reports of Netty's {@code ResourceLeakDetector} so tests can fail on them. */
public final class LeakRecordingAppender extends AppenderBase<ILoggingEvent> {

  private static final List<String> LEAKS = new ArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getFormattedMessage().contains("LEAK")) {
      synchronized (LEAKS) {
        LEAKS.add(event.getFormattedMessage());
      }
    }
  }

  /** Returns and forgets the leaks reported so far. */
  public static List<String> drain() {
    synchronized (LEAKS) {
      List<String> copy = new ArrayList<>(LEAKS);
      LEAKS.clear();
      return copy;
    }
  }
}
