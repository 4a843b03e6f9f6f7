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
 * {@code @RegisterExtension static final GatewayExtension env = new GatewayExtension();}. With
 * {@link #https}, the gateway reaches the origin over TLS, through a {@link TlsFront} presenting a
 * certificate of {@link TestPki#CA}, which the gateway trusts through {@code tls.ca-file}.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {

  private final String extraYaml;
  private final Clock clock;
  private final boolean https;
  private DemoOrigin origin;
  private TlsFront front;
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
    this(extraYaml, clock, false);
  }

  private GatewayExtension(String extraYaml, Clock clock, boolean https) {
    this.extraYaml = extraYaml;
    this.clock = clock;
    this.https = https;
  }

  /**
   * A test gateway reaching the demo origin over HTTPS ({@code https://127.0.0.1:port}, the test
   * CA as {@code tls.ca-file}), with extra YAML merged over {@link TestGateways#yaml}, system clock.
   */
  public static GatewayExtension https(String extraYaml) {
    return new GatewayExtension(extraYaml, Clock.systemUTC(), true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws InterruptedException {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    if (https) {
      front = TlsFront.start(TestPki.server(TestPki.LOOPBACK), origin.port());
      gateway = TestGateways.start(front.baseUri(), TestPki.caFile(), extraYaml, clock);
    } else {
      gateway = TestGateways.start(origin.baseUri(), extraYaml, clock);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    gateway.close();
    if (front != null) {
      front.close();
    }
    origin.close();
  }

  /** The TLS front of the origin, for {@link #https} gateways; null otherwise. */
  public TlsFront front() {
    return front;
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
