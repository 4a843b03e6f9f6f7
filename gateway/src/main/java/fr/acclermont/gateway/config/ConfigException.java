package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * A configuration that cannot be used: missing or unreadable file, invalid YAML, unknown key,
 * wrong type or impossible value.
 *
 * <p>The message is always one line and names the key with its dotted path, the bad value and the
 * expected form, for example
 * {@code cache.memory.max-bytes: "lots" (expected a size such as 512MiB)}. It is meant to be
 * printed as is, without a stack trace.
 */
public final class ConfigException extends RuntimeException {

  /**
   * Creates an exception; line breaks in {@code message} are folded into spaces.
   *
   * @param message what is wrong, naming the key
   */
  public ConfigException(String message) {
    super(oneLine(requireNonNull(message, "message")));
  }

  /**
   * Creates an exception with its cause; line breaks in {@code message} are folded into spaces.
   *
   * @param message what is wrong, naming the key or the file
   * @param cause the underlying failure
   */
  public ConfigException(String message, Throwable cause) {
    super(oneLine(requireNonNull(message, "message")), requireNonNull(cause, "cause"));
  }

  private static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
