package fr.acclermont.gateway.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A strict parser of Structured Field Dictionaries (RFC 8941 4.2.2), the syntax of targeted cache
 * control fields (RFC 9213 2.2). Only what a cache directive needs is kept of each member's value:
 * an Integer as a {@link Long}, a Boolean as a {@link Boolean}, anything else (String, Token,
 * Decimal, Byte Sequence, Inner List) as {@link #OTHER}. Parameters are checked and dropped.
 * Stateless and thread-safe.
 */
final class StructuredDictionary {

  /** The value of a member that is neither an Integer nor a Boolean. */
  static final Object OTHER = new Object();

  private static final String TCHAR = "!#$%&'*+-.^_`|~";
  private static final long MAX_INTEGER = 999_999_999_999_999L;

  private final String input;
  private int pos;

  private StructuredDictionary(String input) {
    this.input = input;
  }

  /**
   * The members of the dictionary the field lines form (combined with commas, RFC 8941 4.2), in
   * order, the last value of a key kept; null on any parsing error.
   */
  static @Nullable Map<String, Object> parse(List<String> lines) {
    StructuredDictionary parser = new StructuredDictionary(String.join(",", lines));
    try {
      return parser.dictionary();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Map<String, Object> dictionary() {
    Map<String, Object> members = new LinkedHashMap<>();
    skip(' ');
    if (pos == input.length()) {
      return members;
    }
    while (true) {
      String key = key();
      Object value = Boolean.TRUE;
      if (peek() == '=') {
        pos++;
        value = peek() == '(' ? innerList() : bareItem();
      }
      parameters();
      members.put(key, value);
      skipOws();
      if (pos == input.length()) {
        return members;
      }
      expect(',');
      skipOws();
      if (pos == input.length()) {
        throw new IllegalArgumentException("trailing comma");
      }
    }
  }

  private Object innerList() {
    expect('(');
    while (true) {
      skip(' ');
      if (peek() == ')') {
        pos++;
        return OTHER;
      }
      bareItem();
      parameters();
      char next = peek();
      if (next != ' ' && next != ')') {
        throw new IllegalArgumentException("inner list");
      }
    }
  }

  private void parameters() {
    while (peek() == ';') {
      pos++;
      skip(' ');
      key();
      if (peek() == '=') {
        pos++;
        bareItem();
      }
    }
  }

  private String key() {
    int start = pos;
    char c = peek();
    if (!(c >= 'a' && c <= 'z') && c != '*') {
      throw new IllegalArgumentException("key");
    }
    pos++;
    while (pos < input.length()) {
      c = input.charAt(pos);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "_-.*".indexOf(c) >= 0)) {
        break;
      }
      pos++;
    }
    return input.substring(start, pos);
  }

  private Object bareItem() {
    char c = peek();
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    }
    if (c == '"') {
      string();
    } else if (c == '?') {
      pos++;
      char b = peek();
      if (b != '0' && b != '1') {
        throw new IllegalArgumentException("boolean");
      }
      pos++;
      return b == '1';
    } else if (c == ':') {
      byteSequence();
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*') {
      token();
    } else {
      throw new IllegalArgumentException("item");
    }
    return OTHER;
  }

  private Object number() {
    boolean negative = peek() == '-';
    if (negative) {
      pos++;
    }
    int start = pos;
    int dot = -1;
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (c == '.' && dot < 0) {
        dot = pos;
      } else if (c < '0' || c > '9') {
        break;
      }
      pos++;
    }
    int digits = pos - start;
    if (dot < 0) {
      if (digits < 1 || digits > 15) {
        throw new IllegalArgumentException("integer");
      }
      long value = Long.parseLong(input.substring(start, pos));
      return negative ? -value : Math.min(value, MAX_INTEGER);
    }
    int whole = dot - start;
    int fraction = pos - dot - 1;
    if (whole < 1 || whole > 12 || fraction < 1 || fraction > 3) {
      throw new IllegalArgumentException("decimal");
    }
    return OTHER;
  }

  private void string() {
    pos++;
    while (pos < input.length()) {
      char c = input.charAt(pos++);
      if (c == '\\') {
        char escaped = peek();
        if (escaped != '"' && escaped != '\\') {
          throw new IllegalArgumentException("escape");
        }
        pos++;
      } else if (c == '"') {
        return;
      } else if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("string");
      }
    }
    throw new IllegalArgumentException("unterminated string");
  }

  private void token() {
    pos++;
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (!(Character.isLetterOrDigit(c) && c < 0x7f) && TCHAR.indexOf(c) < 0 && c != ':' && c != '/') {
        break;
      }
      pos++;
    }
  }

  private void byteSequence() {
    pos++;
    while (pos < input.length()) {
      char c = input.charAt(pos++);
      if (c == ':') {
        return;
      }
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "+/=".indexOf(c) >= 0)) {
        throw new IllegalArgumentException("byte sequence");
      }
    }
    throw new IllegalArgumentException("unterminated byte sequence");
  }

  private char peek() {
    return pos < input.length() ? input.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    pos++;
  }

  private void skip(char c) {
    while (peek() == c) {
      pos++;
    }
  }

  private void skipOws() {
    while (peek() == ' ' || peek() == '\t') {
      pos++;
    }
  }
}
