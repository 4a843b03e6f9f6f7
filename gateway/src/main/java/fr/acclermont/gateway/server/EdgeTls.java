package fr.acclermont.gateway.server;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.ServerTlsConfig;
import fr.acclermont.gateway.config.TlsKeyPair;
import fr.acclermont.gateway.origin.OriginTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener's TLS: the server {@link SslContext} of the current certificate and key, an
 * {@link SslHandler} from it for each new connection, and the reload of the pair when its files
 * change.
 *
 * <p>TLS 1.2 and 1.3 only, Mozilla's "intermediate" cipher list (ECDHE and DHE with AES-GCM or
 * ChaCha20-Poly1305), ALPN offering {@code h2} then {@code http/1.1} ({@link #WITH_HTTP2}), or
 * {@code http/1.1} alone when {@code server.http2.enabled} is false; a client without ALPN gets
 * HTTP/1.1 ({@link EdgeProtocolNegotiationHandler}).
 * Engine: OpenSSL (BoringSSL from netty-tcnative) when it loads, the JDK's otherwise, chosen as for
 * the origins ({@link OriginTls#defaultProvider()}).
 *
 * <p>Reload: every {@code server.tls.reload-interval} (and on {@link #reloadNow()}), on a thread of
 * its own (reading files never blocks an event loop), the two files' size and modification time
 * are compared with those last read. A changed pair that reads, matches and is valid today
 * replaces the context: connections open already keep the pair they were made with, new
 * handshakes take the new one. A bad pair is refused with one WARN line naming the file and the
 * reason; the old pair stays, and the same bad files are not reported again.
 *
 * <p>Thread-safe: {@link #newHandler} is called on every event loop, reading a volatile context.
 */
final class EdgeTls implements AutoCloseable {

  /** The application protocols offered by ALPN with HTTP/2 on, preferred first. */
  static final List<String> WITH_HTTP2 = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
  /** The application protocols offered by ALPN with {@code server.http2.enabled: false}. */
  static final List<String> HTTP1_ONLY = List.of(ApplicationProtocolNames.HTTP_1_1);

  private static final Logger log = LoggerFactory.getLogger(EdgeTls.class);
  private static final List<String> TLS_VERSIONS = List.of("TLSv1.3", "TLSv1.2");
  /** Mozilla's "intermediate" configuration (version 5.7), in its order; JDK names. */
  private static final List<String> CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  /** A TLS handshake not done in this long closes the connection. */
  private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final ServerTlsConfig config;
  private final SslProvider provider;
  private final List<String> protocols;
  private final ScheduledExecutorService reloader;
  private volatile SslContext context;
  private volatile X509Certificate certificate;
  /** The files' stamp last read, good or bad; only the reload thread touches it. */
  private @Nullable String stamp;

  private EdgeTls(ServerTlsConfig config, SslProvider provider, List<String> protocols, SslContext context) {
    this.config = config;
    this.provider = provider;
    this.protocols = protocols;
    this.context = context;
    this.certificate = config.pair().chain().get(0);
    this.stamp = stamp(config.certFile(), config.keyFile());
    this.reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tls-reload");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Builds the context of the pair read at start-up and starts checking its files.
   *
   * @throws IllegalStateException if the engine refuses the pair
   */
  static EdgeTls start(ServerTlsConfig config, boolean http2) {
    requireNonNull(config, "config");
    SslProvider provider = OriginTls.defaultProvider();
    List<String> protocols = http2 ? WITH_HTTP2 : HTTP1_ONLY;
    SslContext context;
    try {
      context = context(config.pair(), provider, protocols);
    } catch (SSLException | RuntimeException e) {
      throw new IllegalStateException("server.tls: cannot set up TLS with " + config.certFile() + " and "
          + config.keyFile() + ": " + e.getMessage(), e);
    }
    EdgeTls tls = new EdgeTls(config, provider, protocols, context);
    long every = config.reloadInterval().toMillis();
    tls.reloader.scheduleWithFixedDelay(tls::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    log.info("HTTPS through the {}, certificate {} valid until {}", OriginTls.engineDescription(),
        tls.certificate.getSubjectX500Principal().getName(), tls.certificate.getNotAfter().toInstant());
    return tls;
  }

  private static SslContext context(TlsKeyPair pair, SslProvider provider, List<String> protocols)
      throws SSLException {
    return SslContextBuilder.forServer(pair.key(), pair.chain().toArray(X509Certificate[]::new))
        .sslProvider(provider)
        .protocols(TLS_VERSIONS)
        .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            // Only these engines' behaviours are supported by both providers.
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            protocols))
        .build();
  }

  /** A new handler for an accepted connection, with the context current now. */
  SslHandler newHandler(ByteBufAllocator allocator) {
    SslHandler handler = context.newHandler(allocator);
    handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
    return handler;
  }

  /** The certificate new handshakes present. */
  X509Certificate certificate() {
    return certificate;
  }

  /** The engine in use. */
  SslProvider provider() {
    return provider;
  }

  /**
   * Checks the files now, on the reload thread, as the periodic check does (for a reload signal).
   * Returns at once.
   */
  void reloadNow() {
    reloader.execute(this::reloadIfChanged);
  }

  /** On the reload thread: takes a changed pair if it is good, else says why once. */
  private void reloadIfChanged() {
    try {
      String now = stamp(config.certFile(), config.keyFile());
      if (Objects.equals(now, stamp)) {
        return;
      }
      stamp = now;
      TlsKeyPair pair;
      try {
        pair = TlsKeyPair.read(config.certFile(), config.keyFile());
      } catch (TlsKeyPair.Unusable e) {
        Path file = e.part() == TlsKeyPair.Part.CERTIFICATE ? config.certFile() : config.keyFile();
        log.warn("TLS reload refused, keeping the current certificate: {}: {}", file, e.getMessage());
        return;
      }
      String validity = pair.validity(new Date());
      if (!validity.isEmpty()) {
        log.warn("TLS reload refused, keeping the current certificate: {}: {}", config.certFile(), validity);
        return;
      }
      context = context(pair, provider, protocols);
      certificate = pair.chain().get(0);
      log.info("TLS certificate reloaded: {} valid until {}", certificate.getSubjectX500Principal().getName(),
          certificate.getNotAfter().toInstant());
    } catch (SSLException | RuntimeException e) {
      log.warn("TLS reload refused, keeping the current certificate: {}: {}", config.certFile(), e.toString());
    }
  }

  /**
   * The size and modification time of both files, or a marker of what could not be read (a file
   * being replaced may be missing for a moment: that is a change, and reported if it lasts).
   */
  private static String stamp(Path certFile, Path keyFile) {
    return stamp(certFile) + "|" + stamp(keyFile);
  }

  private static String stamp(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return attributes.size() + "@" + attributes.lastModifiedTime() + "#"
          + attributes.fileKey();
    } catch (IOException e) {
      return "unreadable";
    }
  }

  @Override
  public void close() {
    reloader.shutdownNow();
  }
}
