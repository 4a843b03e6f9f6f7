package fr.acclermont.gateway.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target 2 (issue #14): {@link ConfigLoader#parse} on the shipped {@code config/gateway.yaml}
 * mutated line by line (values replaced by odd scalars, YAML syntax, placeholders; lines deleted,
 * duplicated, re-indented; keys misspelt) gives a configuration or a {@link ConfigException} of
 * one line, never another exception.
 */
class ConfigLoaderFuzzTest {

  private static final List<String> BASE = baseLines();
  private static final Map<String, String> ENV = Map.of("PORT", "8081", "EMPTY", "", "WORD", "lots", "NL", "a\nb: c");
  private static final String[] VALUES = {"0", "-1", "1", "65535", "65536", "99999999999999999999", "1.5", "0x10",
      "512MiB", "1GiB", "8EiB", "9999999GiB", "-5MiB", "MiB", "1 KiB", "30s", "0s", "-1s", "10m", "5d",
      "9999999999d", "100ms", "PT5S", "s", "true", "false", "yes", "~", "null", "\"\"", "''", "[]", "{}", "[1, 2]",
      "{a: 1}", "&anchor x", "*anchor", "!!binary aGVsbG8=", "!!str 5", "!!int x", "${PORT}", "${UNSET}",
      "${UNSET:-7}", "${EMPTY}", "${WORD}", "${NL}", "${", "${PORT", "$${PORT}", "http://127.0.0.1:8000",
      "https://cloud.example", "ftp://x", "http://", "http://[::1]:80/base", "http://h:99999", "/books/",
      "\"/\"", "[\"/books/\", \"/books/\"]", "stdout", "off", "/nonexistent/dir/log", "é", "\"\\u0000\"",
      "|\n  multi\n  line", ">-", "- a", ":", "#", "key: value", "\t", "'unterminated", "\"unterminated"};
  private static final String[] KEYS = {"school", "server", "port", "host", "origins", "name", "url", "paths",
      "cache", "memory", "max-bytes", "slice-size", "disk", "path", "limits", "timeouts", "access-log", "tls",
      "ca-file", "verify", "overrides", "memroy", "unknown", "<<", "? complex", "\"quoted key\"", "- item"};

  @FuzzTest(maxDuration = "10m")
  void parse(FuzzedDataProvider data) {
    String yaml = data.consumeBoolean() ? mutated(data) : data.consumeRemainingAsString();
    check(yaml);
  }

  static void check(String yaml) {
    try {
      GatewayConfig config = ConfigLoader.parse(yaml, ENV);
      if (config == null) {
        throw new AssertionError("null configuration for:\n" + yaml);
      }
    } catch (ConfigException e) {
      String message = e.getMessage();
      if (message == null || message.isBlank() || message.lines().count() != 1) {
        throw new AssertionError("ConfigException not of one line: [" + message + "] for:\n" + yaml, e);
      }
    }
  }

  private static String mutated(FuzzedDataProvider data) {
    List<String> lines = new ArrayList<>(BASE);
    int edits = data.consumeInt(1, 6);
    for (int i = 0; i < edits && data.remainingBytes() > 0 && !lines.isEmpty(); i++) {
      int at = data.consumeInt(0, lines.size() - 1);
      String line = lines.get(at);
      switch (data.consumeInt(0, 6)) {
        case 0 -> { // replace the value
          int colon = line.indexOf(':');
          String value = data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeString(12);
          lines.set(at, (colon < 0 ? line : line.substring(0, colon + 1)) + " " + value);
        }
        case 1 -> lines.remove(at);
        case 2 -> lines.add(at, line);
        case 3 -> lines.set(at, " ".repeat(data.consumeInt(0, 6)) + line.strip());
        case 4 -> {
          int colon = line.indexOf(':');
          String indent = line.substring(0, line.length() - line.stripLeading().length());
          lines.set(at, indent + data.pickValue(KEYS) + (colon < 0 ? ": x" : line.substring(colon)));
        }
        case 5 -> lines.add(at, data.consumeString(24));
        default -> {
          int cut = data.consumeInt(0, line.length());
          lines.set(at, line.substring(0, cut) + data.pickValue(VALUES) + line.substring(cut));
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  private static List<String> baseLines() {
    // The shipped, documented file; its origin made local so the base itself parses.
    Path file = Path.of("..", "config", "gateway.yaml");
    try {
      List<String> lines = Arrays.stream(Files.readString(file, StandardCharsets.UTF_8).split("\n"))
          .filter(l -> !l.stripLeading().startsWith("#") && !l.isBlank()).toList();
      return List.copyOf(lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
