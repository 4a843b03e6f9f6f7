package fr.acclermont.gateway.config;

/** Renders user-supplied text inside one-line error messages. */
final class Messages {

  /** Longer values are cut, so one bad value cannot flood a log line. */
  private static final int MAX_QUOTED_CHARS = 80;

  private Messages() {}

  /**
   * Quotes {@code text} in double quotes, escaping quotes, backslashes and control characters so
   * that the result stays on one line, and cutting it after {@value #MAX_QUOTED_CHARS} characters.
   */
  static String quote(String text) {
    int end = Math.min(text.length(), MAX_QUOTED_CHARS);
    StringBuilder out = new StringBuilder(end + 8).append('"');
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (end < text.length()) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
