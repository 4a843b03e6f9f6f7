package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the access log goes: one JSON line per client request, to standard output (the default),
 * to a file, or nowhere. Immutable.
 *
 * <p>The loader checks the value's form only: whether the file can be opened for appending is
 * checked when the gateway starts.
 *
 * @param destination where the lines go
 * @param file the file the lines are appended to when {@code destination} is
 *     {@link Destination#FILE}, else {@code null}. A relative path is taken from the gateway's
 *     working directory
 */
public record AccessLogConfig(Destination destination, @Nullable Path file) {

  /** Where the access log goes. */
  public enum Destination {
    /** No access log. */
    OFF,
    /** The process's standard output (the gateway's own log goes to standard error). */
    STDOUT,
    /** A file, opened for appending. */
    FILE
  }

  /** The access log off. */
  public static final AccessLogConfig OFF = new AccessLogConfig(Destination.OFF, null);

  /** The access log on standard output. It is the default. */
  public static final AccessLogConfig STDOUT = new AccessLogConfig(Destination.STDOUT, null);

  /**
   * Creates an access log configuration.
   *
   * @param destination where the lines go
   * @param file the file, required with {@link Destination#FILE} and only with it
   * @throws IllegalArgumentException if {@code file} is given without {@code FILE}, or missing with it
   */
  public AccessLogConfig {
    requireNonNull(destination, "destination");
    if ((destination == Destination.FILE) != (file != null)) {
      throw new IllegalArgumentException("file: " + file + " (expected a file with FILE only)");
    }
  }

  /**
   * Returns the access log appended to {@code file}.
   *
   * @param file the file
   * @return a configuration with {@link Destination#FILE}
   */
  public static AccessLogConfig file(Path file) {
    return new AccessLogConfig(Destination.FILE, requireNonNull(file, "file"));
  }

  /**
   * Returns the documented default: standard output.
   *
   * @return {@link #STDOUT}
   */
  public static AccessLogConfig defaults() {
    return STDOUT;
  }

  /**
   * Returns whether lines are written at all.
   *
   * @return {@code false} when the destination is {@link Destination#OFF}
   */
  public boolean enabled() {
    return destination != Destination.OFF;
  }
}
