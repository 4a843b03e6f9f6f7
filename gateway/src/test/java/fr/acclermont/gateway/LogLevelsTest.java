package fr.acclermont.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import fr.acclermont.gateway.config.LogLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.LoggerFactory;

/** {@link LogLevels#apply}: the root logger's level is set, or left when none is given. */
@ResourceLock("logback-root-level")
class LogLevelsTest {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level before;

  @BeforeEach
  void remember() {
    before = root.getLevel();
  }

  @AfterEach
  void restore() {
    root.setLevel(before);
  }

  @Test
  void apply_eachLevel_setsRootLevel() {
    for (LogLevel level : LogLevel.values()) {
      LogLevels.apply(level);

      assertThat(root.getLevel()).isEqualTo(Level.toLevel(level.name(), null));
      assertThat(root.getLevel().toString()).isEqualTo(level.name());
    }
  }

  @Test
  void apply_null_setsTheEnvironmentsLevelElseInfo() {
    root.setLevel(Level.ERROR);

    LogLevels.apply(null, "debug");
    assertThat(root.getLevel()).isEqualTo(Level.DEBUG);

    LogLevels.apply(null, null);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void apply_debug_enablesDebugOnOtherLoggers() {
    LogLevels.apply(LogLevel.ERROR);
    assertThat(LoggerFactory.getLogger(LogLevelsTest.class).isWarnEnabled()).isFalse();

    LogLevels.apply(LogLevel.DEBUG);

    assertThat(LoggerFactory.getLogger(LogLevelsTest.class).isDebugEnabled()).isTrue();
  }
}
