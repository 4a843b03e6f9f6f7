package fr.acclermont.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A position in the parsed YAML tree: a node, its dotted path ({@code origins[0].url}) and the
 * environment for {@code ${VAR}} placeholders. Reads the node as a map, a list or a typed scalar,
 * and fails with a {@link ConfigException} that names the path, shows the value and the expected
 * form.
 *
 * <p>A key with no value ({@code key:} or {@code key: ~}) counts as absent. Scalars are typed after
 * placeholder substitution, so an integer, a boolean, a size or a duration may also be written as
 * text ({@code port: "${PORT:-8080}"}). Immutable and thread-safe.
 */
final class ConfigReader {

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final String ROOT_NAME = "top level";
  private static final String BOOLEAN_FORM = "true or false";

  private final JsonNode node;
  private final String path;
  private final Map<String, String> env;
  /** Where a collecting reader puts the errors of keys it reads with a fallback; null: they throw. */
  private final @Nullable List<ConfigException> collected;

  private ConfigReader(JsonNode node, String path, Map<String, String> env,
      @Nullable List<ConfigException> collected) {
    this.node = node;
    this.path = path;
    this.env = env;
    this.collected = collected;
  }

  /** Returns a reader of the whole document; {@code null} (an empty document) counts as absent. */
  static ConfigReader root(JsonNode node, Map<String, String> env) {
    return new ConfigReader(node == null ? MissingNode.getInstance() : node, "", env, null);
  }

  /**
   * This reader, and the readers it hands out, collecting into {@code errors} rather than throwing:
   * a key read with a fallback whose value is wrong, and an unknown key of a map, add their error
   * and the reading goes on (with the fallback), so that every such error of a section is
   * reported, not only its first ({@code check}). Errors of the structure (a map that is not a
   * map) and of the checks across keys still throw.
   */
  ConfigReader collecting(List<ConfigException> errors) {
    return new ConfigReader(node, path, env, errors);
  }

  /** Reads a key with a fallback: its error thrown, or collected and the fallback returned. */
  private <T> T orFallback(Supplier<T> read, T fallback) {
    try {
      return read.get();
    } catch (ConfigException e) {
      if (collected == null) {
        throw e;
      }
      collected.add(e);
      return fallback;
    }
  }

  /** The dotted path of this node, as shown in messages. */
  String path() {
    return path.isEmpty() ? ROOT_NAME : path;
  }

  /** Whether this node has a value (it is neither missing nor null). */
  boolean isPresent() {
    return !node.isMissingNode() && !node.isNull();
  }

  /** Returns the reader of {@code key} in this map; the node is absent if this is not a map. */
  ConfigReader child(String key) {
    JsonNode child = node.isObject() ? node.get(key) : null;
    String segment = PLAIN_KEY.matcher(key).matches() ? key : Messages.quote(key);
    return new ConfigReader(child == null ? MissingNode.getInstance() : child,
        path.isEmpty() ? segment : path + "." + segment, env, collected);
  }

  /**
   * Checks that this node is a map (or absent, which reads as an empty map) whose keys are all in
   * {@code keys}, and returns it.
   */
  ConfigReader map(List<String> keys) {
    List<ConfigException> unknown = unknownKeys(keys);
    if (!unknown.isEmpty()) {
      if (collected == null) {
        throw unknown.get(0);
      }
      collected.addAll(unknown); // and the known keys are read on
    }
    return this;
  }

  /**
   * Like {@link #map} but reports every key not in {@code keys} rather than the first; a node that
   * is not a map still throws.
   */
  List<ConfigException> unknownKeys(List<String> keys) {
    List<ConfigException> unknown = new ArrayList<>();
    if (!isPresent()) {
      return unknown;
    }
    if (!node.isObject()) {
      throw fail(describe() + " (expected a map with keys: " + String.join(", ", keys) + ")");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (!keys.contains(key)) {
        unknown.add(child(key).fail("unknown key (expected one of: " + String.join(", ", keys) + ")"));
      }
    }
    return unknown;
  }

  /** Returns {@code child(key).map(keys)}: a sub-section of this map. */
  ConfigReader section(String key, List<String> keys) {
    return child(key).map(keys);
  }

  /** Returns the items of this list, with paths such as {@code origins[0]}. */
  List<ConfigReader> items(String expected) {
    if (!node.isArray()) {
      throw fail(describe() + " (expected " + expected + ")");
    }
    List<ConfigReader> items = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      items.add(new ConfigReader(node.get(i), path + "[" + i + "]", env, collected));
    }
    return items;
  }

  /**
   * Returns this scalar as text, placeholders substituted, if {@code valid} accepts it. A number or
   * a boolean reads as its YAML text.
   */
  String text(String expected, Predicate<String> valid) {
    if (!isPresent() || !node.isValueNode()) {
      throw fail(describe() + " (expected " + expected + ")");
    }
    String text = scalarText();
    if (!valid.test(text)) {
      throw fail(describe() + " (expected " + expected + ")");
    }
    return text;
  }

  /** Returns {@code key}'s text, or {@code fallback} if absent. */
  String text(String key, String fallback, String expected, Predicate<String> valid) {
    ConfigReader child = child(key);
    return child.isPresent() ? orFallback(() -> child.text(expected, valid), fallback) : fallback;
  }

  /** Returns this scalar as an integer in {@code min..max}. */
  int integer(int min, int max) {
    String expected = "an integer " + range(Integer.toString(min), Integer.toString(max),
        max == Integer.MAX_VALUE);
    BigInteger value = null;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isTextual()) {
      String text = scalarText();
      value = INTEGER.matcher(text).matches() ? new BigInteger(text) : null;
    }
    if (value == null || value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw fail(describe() + " (expected " + expected + ")");
    }
    return value.intValueExact();
  }

  /** Returns {@code key}'s integer, or {@code fallback} if absent. */
  int integer(String key, int fallback, int min, int max) {
    ConfigReader child = child(key);
    return child.isPresent() ? orFallback(() -> child.integer(min, max), fallback) : fallback;
  }

  /**
   * Returns this scalar as a boolean: a YAML boolean, or the text {@code true} or {@code false}
   * (as a placeholder gives).
   */
  boolean bool() {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    String text = node.isTextual() ? scalarText() : "";
    if (!text.equals("true") && !text.equals("false")) {
      throw fail(describe() + " (expected " + BOOLEAN_FORM + ")");
    }
    return text.equals("true");
  }

  /** Returns {@code key}'s boolean, or {@code fallback} if absent. */
  boolean bool(String key, boolean fallback) {
    ConfigReader child = child(key);
    return child.isPresent() ? orFallback(() -> child.bool(), fallback) : fallback;
  }

  /** Returns this scalar as a size in bytes (see {@link Sizes}) in {@code min..max}. */
  long size(long min, long max) {
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
      value = node.longValue();
    } else if (node.isTextual()) {
      try {
        value = Sizes.parse(scalarText());
      } catch (IllegalArgumentException e) {
        throw fail(describe() + " (expected " + Sizes.FORM + ")");
      }
    } else {
      throw fail(describe() + " (expected " + Sizes.FORM + ")");
    }
    if (value < min || value > max) {
      String expected = min == 1 && max == Long.MAX_VALUE
          ? "a size greater than 0"
          : "a size " + range(Sizes.format(min), Sizes.format(max), max == Long.MAX_VALUE);
      throw fail(describe() + " (expected " + expected + ")");
    }
    return value;
  }

  /** Returns {@code key}'s size, or {@code fallback} if absent. */
  long size(String key, long fallback, long min, long max) {
    ConfigReader child = child(key);
    return child.isPresent() ? orFallback(() -> child.size(min, max), fallback) : fallback;
  }

  /**
   * Returns this scalar as a rate in bytes per second in {@code min..max}: a size (see
   * {@link Sizes}) followed by {@code /s}, such as {@code 1KiB/s}; a bare size is taken per second.
   */
  long rate(long min, long max) {
    String form = "a rate such as 1KiB/s";
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
      value = node.longValue();
    } else if (node.isTextual()) {
      String text = scalarText();
      try {
        value = Sizes.parse(text.endsWith("/s") ? text.substring(0, text.length() - 2) : text);
      } catch (IllegalArgumentException e) {
        throw fail(describe() + " (expected " + form + ")");
      }
    } else {
      throw fail(describe() + " (expected " + form + ")");
    }
    if (value < min || value > max) {
      throw fail(describe() + " (expected a rate from " + Sizes.format(min) + "/s to " + Sizes.format(max) + "/s)");
    }
    return value;
  }

  /** Returns {@code key}'s rate in bytes per second, or {@code fallback} if absent. */
  long rate(String key, long fallback, long min, long max) {
    ConfigReader child = child(key);
    return child.isPresent() ? orFallback(() -> child.rate(min, max), fallback) : fallback;
  }

  /** Returns this scalar as a duration (see {@link Durations}) in {@code min..max}. */
  Duration duration(Duration min, Duration max) {
    if (!node.isTextual()) {
      throw fail(describe() + " (expected " + Durations.FORM + ")");
    }
    Duration value;
    try {
      value = Durations.parse(scalarText());
    } catch (IllegalArgumentException e) {
      throw fail(describe() + " (expected " + Durations.FORM + ")");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw fail(describe() + " (expected a duration from " + Durations.format(min) + " to "
          + Durations.format(max) + ")");
    }
    return value;
  }

  /** Returns {@code key}'s duration, or {@code fallback} if absent. */
  Duration duration(String key, Duration fallback, Duration min, Duration max) {
    ConfigReader child = child(key);
    return child.isPresent() ? orFallback(() -> child.duration(min, max), fallback) : fallback;
  }

  /**
   * Describes this node's value for a message: quoted text (placeholders substituted), a number
   * or boolean as written, {@code a list}, {@code a map} or {@code no value}.
   */
  String describe() {
    if (!isPresent()) {
      return "no value";
    }
    if (node.isArray()) {
      return node.isEmpty() ? "an empty list" : "a list";
    }
    if (node.isObject()) {
      return node.isEmpty() ? "an empty map" : "a map";
    }
    if (node.isTextual()) {
      try {
        return Messages.quote(scalarText());
      } catch (ConfigException e) {
        return Messages.quote(node.textValue());
      }
    }
    return node.asText();
  }

  /** Returns an exception whose message is this node's path, a colon and {@code detail}. */
  ConfigException fail(String detail) {
    return new ConfigException(path() + ": " + detail);
  }

  private String scalarText() {
    if (!node.isTextual()) {
      return node.asText();
    }
    try {
      return Placeholders.substitute(node.textValue(), env);
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
  }

  private static String range(String min, String max, boolean unbounded) {
    return unbounded ? "of at least " + min : "from " + min + " to " + max;
  }
}
