package fr.acclermont.loadtest.client;

import io.netty.channel.Channel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The TLS side of the load client: one client context per trust (a CA file, or the JVM's trust
 * store), built once, from which each connection to an https {@link Target} gets its
 * {@link SslHandler}. Certificates are always verified, chain and host name (endpoint
 * identification {@code HTTPS}: the certificate must name the URL's host, an IP literal in its IP
 * addresses). BoringSSL (netty-tcnative) when it loads, the JDK's engine otherwise.
 *
 * <p>Thread-safe.
 */
final class ClientTls {

  private final Map<Optional<Path>, SslContext> contexts = new ConcurrentHashMap<>();

  /**
   * Returns the context for {@code target}'s trust, building it on first use (reads its CA file:
   * call it off the event loops).
   *
   * @throws IllegalArgumentException if the CA file holds no usable certificate
   */
  SslContext context(Target target) {
    return contexts.computeIfAbsent(Optional.ofNullable(target.caFile()), ClientTls::build);
  }

  /** Returns a new handler for a connection of {@code channel} to {@code target}, with SNI and host check. */
  static SslHandler newHandler(SslContext context, Channel channel, Target target) {
    return context.newHandler(channel.alloc(), target.host(), target.port());
  }

  private static SslContext build(Optional<Path> caFile) {
    SslContextBuilder builder = SslContextBuilder.forClient()
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .endpointIdentificationAlgorithm("HTTPS");
    try {
      // Without a CA file, the builder's default trust manager is the JVM's trust store.
      caFile.ifPresent(file -> builder.trustManager(file.toFile()));
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(caFile.map(file -> "cannot use the CA certificates of " + file)
          .orElse("cannot build a TLS client context") + ": " + e.getMessage(), e);
    }
  }
}
