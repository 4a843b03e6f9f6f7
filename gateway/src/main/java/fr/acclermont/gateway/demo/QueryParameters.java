package fr.acclermont.gateway.demo;

import java.util.List;
import java.util.Map;

/** Typed reads of the test-hook query parameters; a malformed value is a client error. */
final class QueryParameters {

  private final Map<String, List<String>> parameters;

  QueryParameters(Map<String, List<String>> parameters) {
    this.parameters = parameters;
  }

  /** The first value of {@code name}, or {@code null}. */
  String string(String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * Whether the flag {@code name} is on ({@code 1}, {@code true}, no value) or off (absent,
   * {@code 0}, {@code false}).
   */
  boolean flag(String name) {
    String value = string(name);
    if (value == null || value.equals("0") || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equals("1") || value.equalsIgnoreCase("true") || value.isEmpty()) {
      return true;
    }
    throw new IllegalArgumentException(name + ": " + value + " (expected: 1 or 0)");
  }

  /** The value of {@code name} as a long in {@code [min, max]}, or {@code absent}. */
  long number(String name, long min, long max, long absent) {
    String value = string(name);
    if (value == null) {
      return absent;
    }
    try {
      long number = Long.parseLong(value.trim());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // Reported below with the expected range.
    }
    throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + ".." + max + ")");
  }
}
