package fr.acclermont.gateway.testing;

import fr.acclermont.gateway.cache.MemoryTier;
import fr.acclermont.gateway.cache.Storage;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.http.Transport;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import fr.acclermont.gateway.server.AccessLog;
import fr.acclermont.gateway.server.GatewayServices;
import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * The services of a gateway with no listener, for tests that drive its pipeline on an
 * {@code EmbeddedChannel}: the configuration {@code yaml}, a memory tier of its size and no disk
 * tier, an origin client that nothing connects unless a request is passed through, the access log
 * off, the system clock.
 */
public final class SocketlessServices {

  private SocketlessServices() {
  }

  /** The services of {@code yaml}, metered under {@code name}. */
  public static GatewayServices of(String yaml, String name) {
    GatewayConfig config = ConfigLoader.parse(yaml, Map.of());
    GatewayMetrics metrics = new GatewayMetrics(name, name);
    MemoryTier memory = new MemoryTier(config.cache().memory().maxBytes(), config.cache().memory().maxObjectBytes(),
        ForkJoinPool.commonPool(), () -> { });
    OriginClient originClient = new OriginClient(Transport.NIO, ByteBufAllocator.DEFAULT, metrics);
    List<OriginRoute> routes = config.origins().stream().map(o -> new OriginRoute(o, originClient)).toList();
    return new GatewayServices(config, new OriginRouter(routes), originClient,
        new Storage(memory, null, ByteBufAllocator.DEFAULT), metrics, AccessLog.off(), Clock.systemUTC());
  }
}
