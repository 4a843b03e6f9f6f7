package fr.acclermont.gateway.server;

import fr.acclermont.gateway.testing.SocketlessServices;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;

/**
 * The object-level client pipeline ({@code flow-control}, {@code guard}, {@code edge}) on an
 * {@link EmbeddedChannel} that does not auto-read, for the unit tests of its handlers: requests go
 * in as decoded objects, responses come out as objects (no codec). The origin is never reached.
 */
final class EmbeddedEdge {

  static final String YAML = """
      school: unit
      server: { host: 127.0.0.1, port: 0 }
      admin: { host: 127.0.0.1, port: 0 }
      origins:
        - name: cloud
          url: http://127.0.0.1:9
          paths: ["/books/"]
          connect-timeout: 1s
      cache:
        memory: { max-bytes: 1MiB, max-object-bytes: 64KiB }
      limits: { max-request-line: 1KiB, max-header-bytes: 2KiB, max-headers: 20, max-body-bytes: 4KiB }
      access-log: { path: "off" }
      """;

  private EmbeddedEdge() {
  }

  static GatewayServices services() {
    return SocketlessServices.of(YAML, "unit");
  }

  /** The head timeout of {@code services}' configuration. */
  static RequestHeadTimeoutHandler headTimeout(GatewayServices services) {
    return EdgeServerInitializer.headTimeout(services);
  }

  /**
   * A registered, active channel with {@code flow-control}, {@code guard} and {@code edge}, after
   * {@code first} (handlers to put in front, e.g. a read counter); its clock is frozen.
   *
   * @param responders the responders of the dispatch; null for the gateway's
   */
  static EmbeddedChannel channel(GatewayServices services, EdgeHandler.@Nullable Responders responders,
      ChannelHandler... first) {
    EmbeddedChannel channel = new EmbeddedChannel(false, false);
    channel.config().setAutoRead(false);
    RequestHeadTimeoutHandler headTimeout = headTimeout(services);
    RequestFlowControl flowControl = new RequestFlowControl();
    channel.pipeline()
        .addLast(first)
        .addLast("head-timeout", headTimeout)
        .addLast("flow-control", flowControl)
        .addLast("guard", new RequestGuardHandler(services.requestGuard(), services, headTimeout, flowControl, null,
            null))
        .addLast("edge", new EdgeHandler(services, flowControl, headTimeout, null, responders));
    register(channel);
    channel.freezeTime();
    return channel;
  }

  /** Registers {@code channel} on its loop: it becomes active, and its handlers see it. */
  static void register(EmbeddedChannel channel) {
    try {
      channel.register();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
