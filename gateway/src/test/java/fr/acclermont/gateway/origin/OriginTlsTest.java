package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.acclermont.gateway.config.OriginConfig;
import fr.acclermont.gateway.config.OriginTlsConfig;
import fr.acclermont.gateway.metrics.TlsOutcome;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.TestPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link OriginTls} on both engines (OpenSSL when netty-tcnative loads here, and the JDK's), by real
 * handshakes with a TLS test origin on 127.0.0.1 from a client with AUTO_READ off, as the gateway's:
 * trust from the JDK's store plus tls.ca-file, host name verification, SNI, TLS 1.3, verify off,
 * and what each failure is classified as.
 */
class OriginTlsTest {

  private static final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterAll
  static void stopLoop() {
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void handshake_certificateOfTheCaFile_succeedsOverTls13WithSni(SslProvider provider) throws Exception {
    assumeProvider(provider);
    try (ScriptedOrigin origin = ScriptedOrigin.startTls(0, Clock.systemUTC(), TestPki.server(TestPki.LOOPBACK))) {
      OriginTls tls = tls("https://localhost:" + origin.port(), caFile(), true, provider);

      Future<Channel> handshake = handshake(tls, origin.port());

      assertThat(handshake.isSuccess()).as("%s", handshake.cause()).isTrue();
      SslHandler ssl = handshake.getNow().pipeline().get(SslHandler.class);
      assertThat(ssl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
      // In TLS 1.3 the server's handshake ends after the client's: when the client's Finished lands.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(origin.serverNames()).containsExactly("localhost"));
      handshake.getNow().close().syncUninterruptibly();
    }
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void handshake_ipLiteral_sendsNoSniAndVerifiesTheIpName(SslProvider provider) throws Exception {
    assumeProvider(provider);
    try (ScriptedOrigin origin = ScriptedOrigin.startTls(0, Clock.systemUTC(), TestPki.server(TestPki.LOOPBACK))) {
      OriginTls tls = tls("https://127.0.0.1:" + origin.port(), caFile(), true, provider);

      Future<Channel> handshake = handshake(tls, origin.port());

      assertThat(handshake.isSuccess()).as("%s", handshake.cause()).isTrue();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(origin.serverNames()).containsExactly(""));
      handshake.getNow().close().syncUninterruptibly();
    }
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void handshake_eachBadCertificate_isClassified(SslProvider provider) throws Exception {
    assumeProvider(provider);
    assertFailure(provider, TestPki.LOOPBACK, null, "127.0.0.1", TlsOutcome.UNTRUSTED,
        "certificate not trusted (unknown CA)");
    assertFailure(provider, TestPki.UNTRUSTED, caFile(), "127.0.0.1", TlsOutcome.UNTRUSTED,
        "certificate not trusted (unknown CA)");
    assertFailure(provider, TestPki.EXPIRED, caFile(), "127.0.0.1", TlsOutcome.EXPIRED, "certificate expired");
    assertFailure(provider, TestPki.OTHER_HOST, caFile(), "127.0.0.1", TlsOutcome.HOSTNAME,
        "certificate does not match the host name");
    assertFailure(provider, TestPki.OTHER_HOST, caFile(), "localhost", TlsOutcome.HOSTNAME,
        "certificate does not match the host name");
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void handshake_verifyOff_acceptsAnyCertificate(SslProvider provider) throws Exception {
    assumeProvider(provider);
    try (ScriptedOrigin origin = ScriptedOrigin.startTls(0, Clock.systemUTC(), TestPki.server(TestPki.OTHER_HOST))) {
      OriginTls tls = tls("https://127.0.0.1:" + origin.port(), null, false, provider);

      Future<Channel> handshake = handshake(tls, origin.port());

      assertThat(handshake.isSuccess()).as("%s", handshake.cause()).isTrue();
      handshake.getNow().close().syncUninterruptibly();
    }
  }

  @Test
  void handshake_serverSilent_isAnErrorSayingItTimedOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      OriginTls tls = tls("https://127.0.0.1:" + silent.getLocalPort(), caFile(), true, OriginTls.defaultProvider());
      Future<Channel> handshake = handshake(tls, silent.getLocalPort(), 200);
      try (Socket accepted = silent.accept()) {
        handshake.await(5, TimeUnit.SECONDS);
      }

      OriginTls.Failure failure = OriginTls.classify(handshake.cause());
      assertThat(failure.outcome()).isEqualTo(TlsOutcome.ERROR);
      assertThat(failure.reason()).startsWith("no handshake in time");
    }
  }

  @Test
  void classify_nameMismatchMessages_areHostname() {
    for (String message : List.of("No subject alternative DNS name matching cloud.example found.",
        "No subject alternative names matching IP address 10.0.0.1 found",
        "No name matching cloud found", "No subject alternative names present")) {
      Throwable wrapped = new SSLHandshakeException("x");
      wrapped.initCause(new CertificateException(message));

      assertThat(OriginTls.classify(wrapped).outcome()).as(message).isEqualTo(TlsOutcome.HOSTNAME);
    }
  }

  @Test
  void classify_otherFailure_isAnErrorWithItsRootMessageOnOneLine() {
    Throwable failure = new SSLHandshakeException("Received fatal alert:\nprotocol_version");

    assertThat(OriginTls.classify(failure))
        .isEqualTo(new OriginTls.Failure(TlsOutcome.ERROR, "Received fatal alert: protocol_version"));
  }

  @Test
  void create_httpOrigin_isRefused() {
    OriginConfig http = OriginConfig.withDefaults("cloud", URI.create("http://127.0.0.1:8000"));

    assertThatThrownBy(() -> OriginTls.create(http, "127.0.0.1", 8000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void route_httpsWithoutPort_connectsTo443AndSendsTheHostAsIs() {
    OriginRoute route = new OriginRoute(OriginConfig.withDefaults("cloud", URI.create("https://cloud.example/base")),
        (r, loop) -> {
          throw new AssertionError("no connection expected");
        });

    assertThat(route.port()).isEqualTo(443);
    assertThat(route.authority()).isEqualTo("cloud.example");
    assertThat(route.origin().tls()).isNotNull();
    assertThat(route.origin().tls().host()).isEqualTo("cloud.example");
  }

  private static void assertFailure(SslProvider provider, X509Bundle certificate, java.nio.file.Path caFile,
      String host, TlsOutcome outcome, String reason) throws Exception {
    try (ScriptedOrigin origin = ScriptedOrigin.startTls(0, Clock.systemUTC(), TestPki.server(certificate))) {
      OriginTls tls = tls("https://" + host + ":" + origin.port(), caFile, true, provider);

      Future<Channel> handshake = handshake(tls, origin.port());

      String which = certificate.getCertificate().getSubjectX500Principal() + " for " + host;
      assertThat(handshake.isSuccess()).as(which).isFalse();
      assertThat(OriginTls.classify(handshake.cause())).as(which + ": %s", handshake.cause())
          .isEqualTo(new OriginTls.Failure(outcome, reason));
      assertThat(tls.describe(OriginTls.classify(handshake.cause())))
          .isEqualTo("TLS handshake failed: " + reason + " for host " + host);
    }
  }

  private static void assumeProvider(SslProvider provider) {
    assumeTrue(provider == SslProvider.JDK || OpenSsl.isAvailable(), "OpenSSL (netty-tcnative) does not load here");
  }

  private static java.nio.file.Path caFile() {
    return TestPki.caFile();
  }

  private static OriginTls tls(String url, java.nio.file.Path caFile, boolean verify, SslProvider provider) {
    OriginConfig base = OriginConfig.withDefaults("cloud", URI.create(url));
    OriginTlsConfig settings = new OriginTlsConfig(caFile,
        caFile == null ? List.of() : List.of(TestPki.CA.getCertificate()), verify);
    OriginConfig config = new OriginConfig(base.name(), base.url(), base.paths(), base.connectTimeout(),
        base.responseTimeout(), base.idleTimeout(), base.maxIdleConnections(), base.maxFetches(), settings);
    URI uri = URI.create(url);
    return OriginTls.create(config, uri.getHost(), uri.getPort(), provider);
  }

  private static Future<Channel> handshake(OriginTls tls, int port) throws Exception {
    return handshake(tls, port, 5_000);
  }

  /**
   * Connects to 127.0.0.1:port with the handler first and AUTO_READ off, as OriginClient does (the
   * handshake must complete without anyone calling read), and waits for the handshake.
   */
  private static Future<Channel> handshake(OriginTls tls, int port, long timeoutMillis) throws Exception {
    SslHandler[] handler = new SslHandler[1];
    Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            handler[0] = tls.newHandler(ByteBufAllocator.DEFAULT, timeoutMillis);
            ch.pipeline().addLast(handler[0]);
          }
        })
        .connect(InetAddress.getLoopbackAddress(), port).sync().channel();
    Future<Channel> handshake = handler[0].handshakeFuture();
    if (timeoutMillis >= 1_000) {
      handshake.await(10, TimeUnit.SECONDS);
    }
    if (handshake.isDone() && !handshake.isSuccess()) {
      channel.close();
    }
    return handshake;
  }
}
