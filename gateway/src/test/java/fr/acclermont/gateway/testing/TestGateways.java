package fr.acclermont.gateway.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Starts gateways for tests: ephemeral ports on 127.0.0.1, short timeouts, one origin, no access
 * log (a test that reads it sets {@code access-log.path}).
 */
public final class TestGateways {

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private TestGateways() {
  }

  /**
   * The YAML of a test gateway in front of {@code origin}. A non-blank {@code extra} is merged
   * over it key by key: a map merges into the map of the same key (so
   * {@code cache: { memory: { max-bytes: 512MiB } }} changes only that budget and keeps
   * {@code max-object-bytes}), anything else replaces the value. With a blank {@code extra} the
   * text is the template below, as written.
   *
   * @throws IllegalArgumentException if {@code extra} is not a YAML map
   */
  public static String yaml(URI origin, String extra) {
    return yaml(origin, null, extra);
  }

  /**
   * As {@link #yaml(URI, String)}, for an {@code https} origin whose certificate is issued by the
   * CA in {@code caFile} ({@code origins[0].tls.ca-file}); null for none (the JDK's trust store).
   */
  public static String yaml(URI origin, @Nullable Path caFile, String extra) {
    String tls = caFile == null ? "" : "    tls: { ca-file: \"" + caFile + "\" }\n";
    String base = """
        school: test
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        origins:
          - name: cloud
            url: %s
            paths: ["/books/", "/blobs/", "/_origin/"]
            connect-timeout: 1s
            response-timeout: 2s
            idle-timeout: 1s
        %s  - name: down
            url: http://127.0.0.1:1
            paths: ["/down/"]
            connect-timeout: 1s
        cache:
          memory: { max-bytes: 256MiB, max-object-bytes: 64MiB }
        timeouts: { request-header: 1s, keep-alive: 10s, shutdown: 5s }
        access-log: { path: "off" }
        """.formatted(origin, tls);
    return extra.isBlank() ? base : merge(base, extra);
  }

  /** Starts a gateway in front of {@code origin} with the system clock. */
  public static Gateway start(URI origin) {
    return start(origin, "", Clock.systemUTC());
  }

  /** Starts a gateway in front of {@code origin}; {@code extraYaml} is merged as {@link #yaml} says. */
  public static Gateway start(URI origin, String extraYaml, Clock clock) {
    return Gateway.start(ConfigLoader.parse(yaml(origin, extraYaml), Map.of()), clock);
  }

  /** Starts a gateway in front of an {@code https} origin trusting the CA of {@code caFile} (or null). */
  public static Gateway start(URI origin, @Nullable Path caFile, String extraYaml, Clock clock) {
    return Gateway.start(ConfigLoader.parse(yaml(origin, caFile, extraYaml), Map.of()), clock);
  }

  private static String merge(String base, String extra) {
    try {
      JsonNode over = YAML.readTree(extra);
      if (over == null || over.isMissingNode() || over.isNull()) {
        return base; // comments only
      }
      if (!(over instanceof ObjectNode overrides)) {
        throw new IllegalArgumentException("extra YAML is not a map: " + extra);
      }
      ObjectNode merged = (ObjectNode) YAML.readTree(base);
      mergeInto(merged, overrides);
      return YAML.writeValueAsString(merged);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("extra YAML: " + e.getOriginalMessage(), e);
    }
  }

  private static void mergeInto(ObjectNode target, ObjectNode overrides) {
    for (Map.Entry<String, JsonNode> entry : overrides.properties()) {
      JsonNode existing = target.get(entry.getKey());
      if (existing instanceof ObjectNode map && entry.getValue() instanceof ObjectNode overridingMap) {
        mergeInto(map, overridingMap);
      } else {
        target.set(entry.getKey(), entry.getValue());
      }
    }
  }
}
