package fr.acclermont.gateway.testing;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import java.time.Clock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A demo origin and a test gateway in front of it, started once per test class (STYLE T2):
 * {@code @RegisterExtension static final GatewayExtension env = new GatewayExtension();}.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {

  private final String extraYaml;
  private final Clock clock;
  private DemoOrigin origin;
  private Gateway gateway;

  /** The default test gateway, system clock. */
  public GatewayExtension() {
    this("", Clock.systemUTC());
  }

  /**
   * A test gateway with extra YAML merged over {@link TestGateways#yaml} (e.g.
   * {@code "cache: { memory: { max-bytes: 512MiB } }"}), system clock.
   */
  public GatewayExtension(String extraYaml) {
    this(extraYaml, Clock.systemUTC());
  }

  /** A test gateway with extra YAML merged over {@link TestGateways#yaml} and a given clock. */
  public GatewayExtension(String extraYaml, Clock clock) {
    this.extraYaml = extraYaml;
    this.clock = clock;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    gateway = TestGateways.start(origin.baseUri(), extraYaml, clock);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    gateway.close();
    origin.close();
  }

  /** The demo origin. */
  public DemoOrigin origin() {
    return origin;
  }

  /** The gateway. */
  public Gateway gateway() {
    return gateway;
  }

  /** Restarts the origin on the same port: every connection the gateway had to it dies. */
  public void restartOrigin() {
    int port = origin.port();
    origin.close();
    origin = DemoOrigin.start(DemoOriginOptions.builder().port(port).build());
  }
}
