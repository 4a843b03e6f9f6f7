package fr.acclermont.gateway;

import ch.qos.logback.classic.Level;
import fr.acclermont.gateway.config.LogLevel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the configuration's {@code log-level} to Logback's root logger, at start-up and again on
 * each reload. The file's level wins over {@code GATEWAY_LOG_LEVEL}, which {@code logback.xml}
 * reads once when Logback starts; without {@code log-level} the level is the one {@code logback.xml}
 * gives (that variable, else INFO): a reload that removes the key goes back to it.
 */
public final class LogLevels {

  /** The variable {@code logback.xml} reads the level from. */
  static final String ENVIRONMENT = "GATEWAY_LOG_LEVEL";

  private LogLevels() {}

  /**
   * Sets the root logger's level to {@code level}; null sets the level {@code logback.xml} gives,
   * {@code GATEWAY_LOG_LEVEL} or INFO. Does nothing when SLF4J is not bound to Logback (a library's
   * tests, for instance).
   *
   * @param level the level, or null for the environment's
   */
  public static void apply(@Nullable LogLevel level) {
    apply(level, System.getenv(ENVIRONMENT));
  }

  /** {@link #apply(LogLevel)} with {@code environment} as the value of {@code GATEWAY_LOG_LEVEL}. */
  static void apply(@Nullable LogLevel level, @Nullable String environment) {
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(level != null ? Level.toLevel(level.name()) : Level.toLevel(environment, Level.INFO));
    }
  }
}
