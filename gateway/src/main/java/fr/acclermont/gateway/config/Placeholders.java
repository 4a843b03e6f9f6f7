package fr.acclermont.gateway.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in a configuration value with environment
 * variables. As in the shell, the default applies when the variable is unset or empty, and
 * {@code ${VAR}} of an unset variable is an error. The default is taken literally (no nesting) and
 * ends at the first closing brace. Values are substituted after YAML parsing, so a variable's value
 * is never read as YAML. Stateless and thread-safe.
 */
final class Placeholders {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String FORM =
      "${NAME} or ${NAME:-default}, NAME made of letters, digits and _";

  private Placeholders() {}

  /**
   * Returns {@code text} with every placeholder replaced from {@code env}.
   *
   * @throws IllegalArgumentException naming the variable if one is unset and has no default, or
   *     showing the text if a placeholder is malformed
   */
  static String substitute(String text, Map<String, String> env) {
    int start = text.indexOf("${");
    if (start < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (start >= 0) {
      int end = text.indexOf('}', start + 2);
      if (end < 0) {
        throw new IllegalArgumentException(
            Messages.quote(text) + " has a ${ without its } (expected " + FORM + ")");
      }
      out.append(text, copied, start).append(resolve(text.substring(start + 2, end), env));
      copied = end + 1;
      start = text.indexOf("${", copied);
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static String resolve(String placeholder, Map<String, String> env) {
    int separator = placeholder.indexOf(":-");
    String name = separator < 0 ? placeholder : placeholder.substring(0, separator);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          Messages.quote("${" + placeholder + "}") + " (expected " + FORM + ")");
    }
    String value = env.get(name);
    if (separator < 0) {
      if (value == null) {
        throw new IllegalArgumentException("environment variable " + name
            + " is not set (set it, or give a default as in ${" + name + ":-value})");
      }
      return value;
    }
    return value == null || value.isEmpty() ? placeholder.substring(separator + 2) : value;
  }
}
