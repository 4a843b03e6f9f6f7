package fr.acclermont.gateway.config;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The level of the root logger, as the top-level key {@code log-level} gives it: {@code error},
 * {@code warn}, {@code info}, {@code debug} or {@code trace}, in any case. The levels are Logback's
 * and SLF4J's; applying one is done outside this package ({@code fr.acclermont.gateway.LogLevels}).
 */
public enum LogLevel {
  ERROR, WARN, INFO, DEBUG, TRACE;

  /** The form of the key's value, as error messages give it. */
  static final String FORM = "one of error, warn, info, debug, trace";

  /**
   * Returns the level named {@code text} in any case, or null if it names none.
   *
   * @param text a level name such as {@code debug} or {@code DEBUG}
   */
  public static @Nullable LogLevel parse(String text) {
    for (LogLevel level : values()) {
      if (level.name().equals(text.toUpperCase(Locale.ROOT))) {
        return level;
      }
    }
    return null;
  }
}
