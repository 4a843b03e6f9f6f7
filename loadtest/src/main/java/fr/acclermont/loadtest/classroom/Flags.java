package fr.acclermont.loadtest.classroom;

import fr.acclermont.gateway.config.Durations;
import fr.acclermont.gateway.config.Sizes;
import fr.acclermont.loadtest.client.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Parses and checks flag values. Options are declared as strings and parsed here rather than
 * by picocli's converters, so a bad value fails with exactly one line naming the flag, the value
 * and the expected form (picocli would add the whole usage text after its message). Each failure
 * is a {@link RunSetupException} with exit code 2.
 */
final class Flags {

  static final int BAD_FLAG = 2;

  private Flags() {}

  /** Parses an integer in {@code [min, max]}. */
  static int integer(String flag, String text, int min, int max) throws RunSetupException {
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      value = Integer.MIN_VALUE;
    }
    if (value < min || value > max) {
      throw new RunSetupException(BAD_FLAG,
          flag + ": \"" + text + "\" (expected: an integer from " + min + " to " + max + ")");
    }
    return value;
  }

  /** Parses a seed: any 64-bit integer. */
  static long seed(String flag, String text) throws RunSetupException {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new RunSetupException(BAD_FLAG, flag + ": \"" + text + "\" (expected: an integer such as 1)");
    }
  }

  /** Parses a duration such as {@code 1s} or {@code 500ms}; zero only if {@code zeroAllowed}. */
  static Duration duration(String flag, String text, boolean zeroAllowed) throws RunSetupException {
    Duration value;
    try {
      value = Durations.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new RunSetupException(BAD_FLAG, flag + ": " + e.getMessage());
    }
    if (value.isZero() && !zeroAllowed) {
      throw new RunSetupException(BAD_FLAG, flag + ": \"" + text + "\" (expected: a duration above 0, such as 30s)");
    }
    return value;
  }

  /** Parses a size such as {@code 64KiB} (see {@link Sizes}) in {@code [min, max]} bytes. */
  static long size(String flag, String text, long min, long max) throws RunSetupException {
    long value;
    try {
      value = Sizes.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new RunSetupException(BAD_FLAG, flag + ": " + e.getMessage());
    }
    if (value < min || value > max) {
      throw new RunSetupException(BAD_FLAG, flag + ": \"" + text + "\" (expected: a size from " + Sizes.format(min)
          + " to " + Sizes.format(max) + ", such as 64KiB)");
    }
    return value;
  }

  /** Checks a request path: it starts with a slash and has no query, fragment or space. */
  static String path(String flag, String text) throws RunSetupException {
    if (!text.startsWith("/") || text.chars().anyMatch(c -> c == '?' || c == '#' || c <= ' ')) {
      throw new RunSetupException(BAD_FLAG,
          flag + ": \"" + text + "\" (expected: a path without query string, such as /blobs/20MiB/NAME)");
    }
    return text;
  }

  /** Checks a path prefix: it starts with a slash and has no query, fragment or space. */
  static String pathPrefix(String flag, String text) throws RunSetupException {
    if (!text.startsWith("/") || text.chars().anyMatch(c -> c == '?' || c == '#' || c <= ' ')) {
      throw new RunSetupException(BAD_FLAG, flag + ": \"" + text + "\" (expected: a path prefix such as /books/)");
    }
    return text;
  }

  /** Checks a signing key id: what the gateway's {@code entitlement.rules[].keys[].id} accepts. */
  static String keyId(String flag, String text) throws RunSetupException {
    if (!text.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new RunSetupException(BAD_FLAG,
          flag + ": \"" + text + "\" (expected: 1 to 64 letters, digits, '.', '_' or '-', such as 2026-09)");
    }
    return text;
  }

  /**
   * Reads a signing secret as the gateway does: the file's UTF-8 text without surrounding white
   * space. The gateway checks the rest (length, one line); a secret it would refuse only makes
   * every link a 403. Never the secret in a message.
   */
  static byte[] secretFile(String flag, String text) throws RunSetupException {
    String secret;
    try {
      secret = Files.readString(Path.of(text), StandardCharsets.UTF_8).strip();
    } catch (IOException | java.nio.file.InvalidPathException e) {
      secret = "";
    }
    if (secret.isEmpty()) {
      throw new RunSetupException(BAD_FLAG, flag + ": \"" + text
          + "\" (expected: a readable UTF-8 file holding the secret, such as the gateway's secret-file)");
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a CA certificate file to trust for https URLs: it must be a readable file; whether it
   * holds certificates is found when the first connection is made (exit code 1 then).
   */
  static @Nullable Path caFile(String flag, @Nullable String text) throws RunSetupException {
    if (text == null) {
      return null;
    }
    try {
      Path file = Path.of(text).toAbsolutePath();
      if (Files.isRegularFile(file) && Files.isReadable(file)) {
        return file;
      }
    } catch (java.nio.file.InvalidPathException e) {
      // Reported below, as any other unusable path.
    }
    throw new RunSetupException(BAD_FLAG, flag + ": \"" + text
        + "\" (expected: a readable PEM file of CA certificates, e.g. what origin --ca-out wrote)");
  }

  /** Parses an http or https URL. */
  static Target target(String flag, String url) throws RunSetupException {
    try {
      return Target.parse(url);
    } catch (IllegalArgumentException e) {
      throw new RunSetupException(BAD_FLAG, flag + ": " + e.getMessage());
    }
  }

  /** Parses an optional http or https URL. */
  static @Nullable Target optionalTarget(String flag, @Nullable String url) throws RunSetupException {
    return url == null ? null : target(flag, url);
  }

  /** Creates the report directory now, so a bad one fails before the run rather than after it. */
  static @Nullable Path reportDirectory(@Nullable Path directory) throws RunSetupException {
    if (directory == null) {
      return null;
    }
    try {
      return Files.createDirectories(directory);
    } catch (IOException | UnsupportedOperationException e) {
      throw new RunSetupException(BAD_FLAG, "--report: cannot create the directory " + directory + " (" + e + ")");
    }
  }
}
