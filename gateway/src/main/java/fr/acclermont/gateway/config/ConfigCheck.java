package fr.acclermont.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ConfigLoader#check} found in a configuration file: every error (not just the first),
 * each on one line and prefixed with {@code FILE:LINE: } when the key's line is known; notes about
 * what could not be checked; and the configuration, when there is no error. Immutable.
 */
public final class ConfigCheck {

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private final String file;
  private final Map<String, Integer> lines;
  private final List<String> errors;
  private final List<String> notes;
  private final @Nullable GatewayConfig config;
  private final @Nullable CacheConfig cache;

  ConfigCheck(String file, Map<String, Integer> lines, List<String> errors, List<String> notes,
      @Nullable GatewayConfig config, @Nullable CacheConfig cache) {
    this.file = file;
    this.lines = Map.copyOf(lines);
    this.errors = errors.stream().map(this::locate).toList();
    this.notes = List.copyOf(notes);
    this.config = config;
    this.cache = cache;
  }

  /** Every error, in the order of the sections, each one line, located when possible. */
  public List<String> errors() {
    return errors;
  }

  /** Sections not checked because one they depend on has an error. */
  public List<String> notes() {
    return notes;
  }

  /** The configuration, or null if there is any error. */
  public @Nullable GatewayConfig config() {
    return config;
  }

  /** The cache section, or null if it has an error: its disk and memory can be checked further. */
  public @Nullable CacheConfig cache() {
    return cache;
  }

  /**
   * Prefixes {@code message} ({@code "dotted.key: ..."}) with {@code FILE:LINE: }, the line of the
   * key or of its nearest enclosing key in the file; returns it as is if no key of it is in the
   * file (a missing required key, a file that cannot be read).
   */
  public String locate(String message) {
    int colon = message.indexOf(": ");
    String key = colon < 0 ? "" : message.substring(0, colon);
    while (!key.isEmpty()) {
      Integer line = lines.get(key);
      if (line != null) {
        return file + ":" + line + ": " + message;
      }
      int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
      key = cut < 0 ? "" : key.substring(0, cut);
    }
    return message;
  }

  /**
   * The line of each key in {@code yaml}, by dotted path as {@link ConfigReader} names it
   * ({@code origins[0].url}); the first occurrence wins. The tree keeps no locations, so the text
   * is walked again with the streaming parser. Stops quietly at a syntax error.
   */
  static Map<String, Integer> keyLines(String yaml) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        JsonStreamContext context = parser.getParsingContext();
        int line = parser.currentTokenLocation().getLineNr();
        if (token == JsonToken.FIELD_NAME) {
          lines.putIfAbsent(path(context), line);
        } else if (token.isStructStart() && context.getParent() != null && context.getParent().inArray()) {
          lines.putIfAbsent(path(context.getParent()), line); // the struct's context is the new one
        } else if (token.isScalarValue() && context.inArray()) {
          lines.putIfAbsent(path(context), line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The tree parser reports syntax errors; the lines found so far are kept.
    }
    return lines;
  }

  /**
   * The dotted path of the current position in {@code context}: its current key in a map, its
   * current item in a list, quoted as {@link ConfigReader} quotes keys.
   */
  private static String path(@Nullable JsonStreamContext context) {
    if (context == null || context.inRoot()) {
      return "";
    }
    String parent = path(context.getParent());
    if (context.inArray()) {
      return parent + "[" + Math.max(context.getCurrentIndex(), 0) + "]";
    }
    String name = context.getCurrentName();
    if (name == null) {
      return parent;
    }
    String segment = PLAIN_KEY.matcher(name).matches() ? name : Messages.quote(name);
    return parent.isEmpty() ? segment : parent + "." + segment;
  }
}
