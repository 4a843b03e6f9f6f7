package fr.acclermont.gateway.security;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The lenient reading of a request path that decides whether an entitlement rule applies: an
 * origin may decode {@code %6c} to {@code l}, merge {@code //}, resolve {@code ..} or ignore case,
 * so {@code /Books/%6Cicensed/./x} must not escape a rule on {@code /books/licensed/}. Every
 * percent-escape is decoded, backslashes read as slashes, empty and dot segments resolved, and the
 * result is lowercased; a rule applies when the raw path or this reading starts with its prefix
 * (also lowercased). Reading too much into a path only guards it; reading too little would leak.
 * Stateless.
 */
final class PathReading {

  private PathReading() {}

  /** The lenient, lowercased reading of {@code rawPath} (the path of an origin-form target, no query). */
  static String of(String rawPath) {
    String decoded = decode(rawPath).replace('\\', '/');
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : decoded.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    boolean directory = decoded.endsWith("/") || decoded.endsWith("/.") || decoded.endsWith("/..");
    StringBuilder out = new StringBuilder(rawPath.length());
    for (String segment : segments) {
      out.append('/').append(segment);
    }
    if (directory || out.length() == 0) {
      out.append('/');
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** Decodes every {@code %XX} as one byte (ISO-8859-1: never a malformed sequence); a bad escape stays. */
  private static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high >= 0 && low >= 0) {
          out.append((char) (high * 16 + low));
          i += 2;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}
