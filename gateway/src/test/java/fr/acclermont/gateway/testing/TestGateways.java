package fr.acclermont.gateway.testing;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** Starts gateways for tests: ephemeral ports on 127.0.0.1, short timeouts, one origin. */
public final class TestGateways {

  private TestGateways() {
  }

  /** The YAML of a test gateway in front of {@code origin}; {@code extra} is appended verbatim. */
  public static String yaml(URI origin, String extra) {
    return """
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
          - name: down
            url: http://127.0.0.1:1
            paths: ["/down/"]
            connect-timeout: 1s
        cache:
          memory: { max-bytes: 256MiB, max-object-bytes: 64MiB }
        timeouts: { request-header: 1s, keep-alive: 10s, shutdown: 5s }
        """.formatted(origin) + extra;
  }

  /** Starts a gateway in front of {@code origin} with the system clock. */
  public static Gateway start(URI origin) {
    return start(origin, "", Clock.systemUTC());
  }

  /** Starts a gateway in front of {@code origin}. */
  public static Gateway start(URI origin, String extraYaml, Clock clock) {
    return Gateway.start(ConfigLoader.parse(yaml(origin, extraYaml), Map.of()), clock);
  }
}
