package fr.acclermont.gateway;

import ch.qos.logback.classic.Level;
import fr.acclermont.gateway.config.LogLevel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the configuration's {@code log-level} to Logback's root logger, at start-up and again on
 * each reload. The file's level wins over {@code GATEWAY_LOG_LEVEL}, which {@code logback.xml}
 * reads once when Logback starts; without {@code log-level} the level is left as it is.
 */
public final class LogLevels {

  private LogLevels() {}

  /**
   * Sets the root logger's level to {@code level}; null leaves it as it is. Does nothing when
   * SLF4J is not bound to Logback (a library's tests, for instance).
   *
   * @param level the level, or null to leave the current one
   */
  public static void apply(@Nullable LogLevel level) {
    if (level == null) {
      return;
    }
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.toLevel(level.name()));
    }
  }
}
