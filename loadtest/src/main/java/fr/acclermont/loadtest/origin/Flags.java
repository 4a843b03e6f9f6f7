package fr.acclermont.loadtest.origin;

import fr.acclermont.gateway.config.Durations;
import fr.acclermont.gateway.demo.OriginProfile;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the text of the {@code origin} command's flags. Each parser throws an
 * {@link IllegalArgumentException} whose message is one line naming the flag, quoting the text
 * and giving the expected form, e.g.
 * {@code --bandwidth: "fast" (expected e.g. 100mbit, 10mbit, 1gbit or unlimited)}. Stateless.
 */
final class Flags {

  /** Longer values are cut, so one bad value cannot flood the line. */
  private static final int MAX_QUOTED_CHARS = 80;

  private Flags() {}

  static int port(String flag, String text) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(flag, text, "a port number from 0 to 65535; 0 picks a free one");
  }

  static long seed(String flag, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw invalid(flag, text, "a whole number, e.g. 1");
    }
  }

  static String host(String flag, String text) {
    if (text.isBlank()) {
      throw invalid(flag, text, "an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
    }
    return text.trim();
  }

  static Bandwidth bandwidth(String flag, String text) {
    try {
      return Bandwidth.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  static Duration duration(String flag, String text) {
    try {
      return Durations.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  static double share(String flag, String text) {
    try {
      double share = Double.parseDouble(text.trim());
      if (share >= 0 && share <= 1) {
        return share;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(flag, text, "a share of requests from 0 to 1, e.g. 0.05");
  }

  /** Checks that shares of the same requests leave room for each other. */
  static void sharesOfOneWhole(String flags, double... shares) {
    if (!OriginSettings.sharesFit(shares)) {
      throw new IllegalArgumentException(flags + ": " + OriginSettings.total(shares)
          + " (expected at most 1 in total: each is a share of the same requests)");
    }
  }

  static OriginProfile profile(String flag, String text) {
    try {
      return OriginProfile.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid(flag, text, "plain, https or cdn");
    }
  }

  /** A file to write the CA to: only with a TLS profile, in an existing directory. */
  static Path caOut(String flag, String text, OriginProfile profile) {
    if (!profile.tls()) {
      throw new IllegalArgumentException(flag + ": " + quote(text)
          + " (expected only with --profile https or cdn: the plain profile has no CA)");
    }
    Path file;
    try {
      file = Path.of(text).toAbsolutePath();
    } catch (InvalidPathException e) {
      throw invalid(flag, text, "a file path");
    }
    if (text.isBlank() || Files.isDirectory(file) || file.getParent() == null || !Files.isDirectory(file.getParent())) {
      throw invalid(flag, text, "a file in an existing directory");
    }
    return file;
  }

  /** Quotes {@code text} in double quotes on one line: quotes, backslashes and controls escaped. */
  static String quote(String text) {
    int end = Math.min(text.length(), MAX_QUOTED_CHARS);
    StringBuilder out = new StringBuilder(end + 8).append('"');
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(end < text.length() ? "...\"" : "\"").toString();
  }

  private static IllegalArgumentException invalid(String flag, String text, String expected) {
    return new IllegalArgumentException(flag + ": " + quote(text) + " (expected " + expected + ")");
  }
}
