package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the gateway's YAML configuration into a {@link GatewayConfig}.
 *
 * <p>Every key is optional except {@code origins}; {@code config/gateway.yaml} documents each key
 * and its default. {@code ${VAR}} and {@code ${VAR:-default}} inside a value are replaced from
 * {@code env} before the value is typed. A problem stops loading with a {@link ConfigException}:
 * one line naming the key (or the file, or the YAML line and column), the bad value and the
 * expected form. The first problem wins. Stateless and thread-safe.
 */
public final class ConfigLoader {

  /** Rejects a key given twice in one map instead of silently keeping the last value. */
  private static final YAMLMapper MAPPER =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private ConfigLoader() {}

  /**
   * Reads and checks a configuration file (UTF-8).
   *
   * @param file the YAML file, such as {@code config/gateway.yaml}
   * @param env the environment for {@code ${VAR}} placeholders, usually {@link System#getenv()}
   * @return the configuration
   * @throws ConfigException if the file is missing or unreadable (the message names the path), or
   *     if its content breaks a rule (see {@link #parse})
   */
  public static GatewayConfig load(Path file, Map<String, String> env) {
    requireNonNull(file, "file");
    requireNonNull(env, "env");
    return parse(read(file), env);
  }

  private static String read(Path file) {
    String cannotRead = "cannot read configuration file " + file + ": ";
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(cannotRead + "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(cannotRead + "permission denied", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(cannotRead + "not UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException(cannotRead + e.getMessage(), e);
    }
  }

  /**
   * Checks a configuration file with the rules of {@link #load}, but reports every error it finds
   * rather than the first: one per top-level section, one per origin, each located at its key's
   * line when the key is in the file. Binds nothing and opens no file but the ones the rules read
   * (the configuration, TLS and token files).
   *
   * @param file the YAML file
   * @param env the environment for {@code ${VAR}} placeholders
   * @return the errors, notes, and the configuration if there is no error
   */
  public static ConfigCheck check(Path file, Map<String, String> env) {
    requireNonNull(file, "file");
    requireNonNull(env, "env");
    String name = file.toString();
    String yaml;
    try {
      yaml = read(file);
    } catch (ConfigException e) {
      return new ConfigCheck(name, Map.of(), List.of(e.getMessage()), List.of(), null, null);
    }
    Map<String, Integer> lines = ConfigCheck.keyLines(stripByteOrderMark(yaml));
    ConfigBinder.Checked checked;
    try {
      checked = ConfigBinder.check(ConfigReader.root(readTree(yaml), env));
    } catch (ConfigException e) {
      return new ConfigCheck(name, lines, List.of(e.getMessage()), List.of(), null, null);
    }
    return new ConfigCheck(name, lines, checked.errors().stream().map(ConfigException::getMessage).toList(),
        checked.notes(), checked.config(), checked.cache());
  }

  /**
   * Checks a configuration given as YAML text, with the same rules as {@link #load}.
   *
   * @param yaml the YAML text
   * @param env the environment for {@code ${VAR}} placeholders
   * @return the configuration
   * @throws ConfigException if the YAML is invalid, a key is unknown, a value has the wrong type
   *     or is out of range, a variable is unset, or {@code origins} is missing
   */
  public static GatewayConfig parse(String yaml, Map<String, String> env) {
    requireNonNull(yaml, "yaml");
    requireNonNull(env, "env");
    return ConfigBinder.bind(ConfigReader.root(readTree(yaml), env));
  }

  private static String stripByteOrderMark(String yaml) {
    return !yaml.isEmpty() && yaml.charAt(0) == BYTE_ORDER_MARK ? yaml.substring(1) : yaml;
  }

  private static JsonNode readTree(String yaml) {
    String text = stripByteOrderMark(yaml);
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    }
  }

  /** Turns a parser failure into one line with its line and column. */
  private static ConfigException syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      String context = yaml.getContext() == null ? "" : " (" + yaml.getContext()
          + (yaml.getContextMark() == null ? "" : " started at " + position(yaml.getContextMark()))
          + ")";
      return new ConfigException("invalid YAML at " + position(yaml.getProblemMark()) + ": "
          + yaml.getProblem() + context, e);
    }
    String line = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
    if (e.getProcessor() instanceof JsonParser parser
        && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
      return new ConfigException(dottedPath(parser.getParsingContext())
          + ": duplicate key" + line + " (expected each key once per map)", e);
    }
    String column = e.getLocation() == null ? "" : ", column " + e.getLocation().getColumnNr();
    return new ConfigException("invalid YAML" + line + column + ": " + e.getOriginalMessage(), e);
  }

  private static String position(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static String dottedPath(JsonStreamContext context) {
    if (context == null || context.inRoot()) {
      return "";
    }
    String parent = dottedPath(context.getParent());
    if (context.inArray()) {
      return parent + "[" + context.getCurrentIndex() + "]";
    }
    return parent.isEmpty() ? context.getCurrentName() : parent + "." + context.getCurrentName();
  }
}
