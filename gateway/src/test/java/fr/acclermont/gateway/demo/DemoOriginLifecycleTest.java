package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerAdapter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting, stopping and the extension points the load-test module builds on. */
@Timeout(30)
class DemoOriginLifecycleTest {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final long MIB = 1 << 20;

  @Test
  void builder_nothingSet_documentedDefaults() {
    DemoOriginOptions options = DemoOriginOptions.builder().build();

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isZero();
    assertThat(options.seed()).isEqualTo(1);
    assertThat(options.latency()).isEqualTo(Duration.ZERO);
    assertThat(options.faultInjector()).isSameAs(FaultInjector.fromQuery());
  }

  @Test
  void builder_badValues_rejectedWithTheValue() {
    assertThatThrownBy(() -> DemoOriginOptions.builder().port(70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port: 70000");
    assertThatThrownBy(() -> DemoOriginOptions.builder().latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency");
  }

  @Test
  void start_ephemeralPort_listensOnLoopbackWithSeededCatalog() throws Exception {
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().seed(42).build())) {
      assertThat(origin.port()).isPositive();
      assertThat(origin.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + origin.port()));
      assertThat(origin.catalog().toJson()).isEqualTo(Catalog.generate(42).toJson());
      assertThat(get(origin, "/_origin/catalog").body()).isEqualTo(Catalog.generate(42).toJson());
    }
  }

  @Test
  void start_portInUse_uncheckedIOException() {
    try (DemoOrigin first = DemoOrigin.start(DemoOriginOptions.builder().build())) {
      assertThatThrownBy(() -> DemoOrigin.start(DemoOriginOptions.builder().port(first.port()).build()))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(String.valueOf(first.port()));
    }
  }

  @Test
  void close_twice_stopsListeningWithoutError() {
    DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    origin.close();
    origin.close();

    assertThatThrownBy(() -> new Socket("127.0.0.1", origin.port()).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void latency_option_nothingWrittenUntilThenEachResponse() {
    DemoOriginOptions options = DemoOriginOptions.builder().latency(Duration.ofMillis(200)).build();
    for (String path : new String[] {"/blobs/10/latency", "/_origin/catalog", "/nowhere"}) {
      try (EmbeddedDemoOrigin embedded = new EmbeddedDemoOrigin(options)) {
        embedded.get(path);
        embedded.advance(Duration.ofMillis(199));

        assertThat(embedded.received()).as("%s written by 199 ms", path).isEmpty();
        embedded.advance(Duration.ofMillis(1));
        assertThat(embedded.response().status()).as(path).isEqualTo(path.equals("/nowhere") ? 404 : 200);
      }
    }
  }

  @Test
  void latency_option_realSocketAnswers() throws Exception {
    DemoOriginOptions options = DemoOriginOptions.builder().latency(Duration.ofMillis(200)).build();
    try (DemoOrigin origin = DemoOrigin.start(options)) {
      assertThat(get(origin, "/blobs/10/latency").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void faultInjector_custom_appliedToContentPathsOnly() throws Exception {
    DemoOriginOptions options = DemoOriginOptions.builder().faultInjector(request -> Fault.status(418)).build();
    try (DemoOrigin origin = DemoOrigin.start(options)) {
      assertThat(get(origin, "/blobs/10/teapot").statusCode()).isEqualTo(418);
      assertThat(get(origin, "/_origin/catalog").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void faultInjector_queryOrElseRandom_queryHookWins() throws Exception {
    FaultInjector injector = FaultInjector.fromQuery().orElse(request -> Fault.status(500));
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().faultInjector(injector).build())) {
      assertThat(get(origin, "/blobs/10/x?status=502").statusCode()).isEqualTo(502);
      assertThat(get(origin, "/blobs/10/x").statusCode()).isEqualTo(500);
    }
  }

  @Test
  void faultInjector_none_ignoresFaultHooks() throws Exception {
    DemoOriginOptions options = DemoOriginOptions.builder().faultInjector(FaultInjector.none()).build();
    try (DemoOrigin origin = DemoOrigin.start(options)) {
      assertThat(get(origin, "/blobs/10/x?status=502").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void pipelineCustomizer_addedHandler_headOfEachPipeline() throws Exception {
    AtomicReference<Channel> accepted = new AtomicReference<>();
    DemoOriginOptions options = DemoOriginOptions.builder()
        .pipelineCustomizer(pipeline -> {
          accepted.set(pipeline.channel());
          pipeline.addLast("shaper", new ChannelHandlerAdapter() {});
        })
        .build();
    try (DemoOrigin origin = DemoOrigin.start(options)) {
      assertThat(get(origin, "/blobs/10/customized").statusCode()).isEqualTo(200);
      assertThat(accepted.get().pipeline().names().get(0)).isEqualTo("shaper");
    }
  }

  @Test
  void slowClient_twoHundredMiBBlob_originWritesOnlyWhatTheSocketTakes() throws Exception {
    AtomicReference<Channel> accepted = new AtomicReference<>();
    DemoOriginOptions options = DemoOriginOptions.builder().pipelineCustomizer(p -> accepted.set(p.channel())).build();
    String path = "/blobs/200MiB/slow";
    try (DemoOrigin origin = DemoOrigin.start(options); Socket socket = new Socket()) {
      socket.setReceiveBufferSize(64 * 1024);
      socket.connect(new InetSocketAddress("127.0.0.1", origin.port()));
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes());
      socket.getInputStream().readNBytes((int) MIB);

      // The client stops reading: the origin must stop producing, not queue 200 MiB.
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
          .until(() -> origin.stats().bytes(path) < 16 * MIB);
      Channel channel = accepted.get();
      long pending = channel.eventLoop()
          .submit(() -> channel.unsafe().outboundBuffer().totalPendingWriteBytes()).get();
      assertThat(pending).isLessThan(MIB);
      assertThat(origin.stats().bytes(path)).isGreaterThanOrEqualTo(MIB);
    }
  }

  private static HttpResponse<String> get(DemoOrigin origin, String pathAndQuery) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(origin.baseUri() + pathAndQuery)).build(),
        BodyHandlers.ofString());
  }
}
