package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.loadtest.client.ClientOptions;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Where the uplink is counted: {@code --origin} when given; otherwise the target itself when it
 * exposes {@code /_origin/stats} (a run straight at the origin); otherwise nowhere.
 */
class UplinkMeterTest {

  @Test
  void of_noOriginAndATargetWithCounts_countsAtTheTarget() {
    DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    Target target = Target.parse(origin.baseUri().toString());
    try (LoadClient client = LoadClient.start(target, ClientOptions.defaults())) {
      UplinkMeter meter = UplinkMeter.of(client, null);

      assertThat(meter).isNotNull();
      assertThat(meter.origin()).isEqualTo(target);
    } finally {
      origin.close();
    }
  }

  @Test
  void of_noOriginAndATargetWithoutCounts_none() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
    Target target = Target.parse("http://127.0.0.1:" + server.getAddress().getPort());
    try (LoadClient client = LoadClient.start(target, ClientOptions.defaults())) {
      assertThat(UplinkMeter.of(client, null)).isNull();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void of_anOrigin_countsThereWithoutAsking() {
    Target target = Target.parse("http://127.0.0.1:1");
    Target origin = Target.parse("http://127.0.0.1:2");
    try (LoadClient client = LoadClient.start(target, ClientOptions.defaults())) {
      assertThat(UplinkMeter.of(client, origin).origin()).isEqualTo(origin);
    }
  }
}
