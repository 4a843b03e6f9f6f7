package fr.acclermont.gateway.status;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The last warnings and errors the gateway logged, newest first, for the status page: a technician
 * without access to the server's journal still sees that the disk is failing or the origin's
 * certificate expired. A Logback appender on the root logger, attached by {@link #attach} and
 * removed by {@link #close}; events below WARN cost one level comparison. Thread-safe.
 */
public final class RecentWarnings extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  /** One warning: when, how serious, from which class, what. */
  public record Warning(long atMillis, String level, String logger, String message) {}

  private final int capacity;
  private final ArrayDeque<Warning> warnings;

  private RecentWarnings(int capacity) {
    this.capacity = capacity;
    this.warnings = new ArrayDeque<>(capacity);
    setName("recent-warnings");
  }

  /**
   * Starts keeping the last {@code capacity} warnings logged from now on. Without Logback (another
   * SLF4J binding), keeps none.
   */
  public static RecentWarnings attach(int capacity) {
    RecentWarnings appender = new RecentWarnings(capacity);
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      appender.setContext(context);
      appender.start();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
    return appender;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
      return;
    }
    String logger = event.getLoggerName();
    Warning warning = new Warning(event.getTimeStamp(), event.getLevel().toString(),
        logger.substring(logger.lastIndexOf('.') + 1), event.getFormattedMessage());
    synchronized (warnings) {
      if (warnings.size() == capacity) {
        warnings.removeLast();
      }
      warnings.addFirst(warning);
    }
  }

  /** The warnings kept, newest first. */
  public List<Warning> recent() {
    synchronized (warnings) {
      return new ArrayList<>(warnings);
    }
  }

  @Override
  public void close() {
    if (getContext() instanceof LoggerContext context) {
      Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAppender(this);
    }
    stop();
  }
}
