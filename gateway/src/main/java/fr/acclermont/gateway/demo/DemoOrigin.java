package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.http.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running demo origin: an HTTP/1.1 server of the synthetic catalog of
 * {@link DemoOriginOptions#seed()}. Start with {@link #start(DemoOriginOptions)}, stop with
 * {@link #close()}.
 *
 * <p>Under {@link OriginProfile#CDN} it speaks HTTPS with a certificate from a throw-away CA made
 * at start-up, whose PEM it writes to {@link #caFile()}, and compresses text resources.
 *
 * <p>Thread-safe. Two event-loop threads (native epoll where available, NIO otherwise) serve
 * every connection; content is generated per 64 KiB chunk as each connection can take it.
 */
public final class DemoOrigin implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(DemoOrigin.class);

  private static final int EVENT_LOOP_THREADS = 2;
  private static final int ACCEPT_BACKLOG = 1024;
  /** A few chunks in flight per connection keep the socket busy; more would only use memory. */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 256 * 1024);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final Catalog catalog;
  private final OriginStats stats;
  private final URI baseUri;
  private final ChannelGroup connections;
  private final EncodedContent encodedContent;
  private final Path caFile;
  private final boolean deleteCaFile;

  private DemoOrigin(EventLoopGroup group, Channel serverChannel, Catalog catalog, OriginStats stats, URI baseUri,
      ChannelGroup connections, EncodedContent encodedContent, Path caFile, boolean deleteCaFile) {
    this.connections = connections;
    this.encodedContent = encodedContent;
    this.caFile = caFile;
    this.deleteCaFile = deleteCaFile;
    this.group = group;
    this.serverChannel = serverChannel;
    this.catalog = catalog;
    this.stats = stats;
    this.baseUri = baseUri;
  }

  /**
   * Starts an origin and returns once it listens.
   *
   * @throws UncheckedIOException if the address cannot be bound (e.g. the port is taken), or the
   *     CA file cannot be written
   * @throws IllegalStateException if the server cannot start for another reason
   */
  public static DemoOrigin start(DemoOriginOptions options) {
    requireNonNull(options, "options");
    OriginProfile profile = options.profile();
    Catalog catalog = Catalog.generate(options.seed());
    OriginStats stats = new OriginStats();
    ChannelGroup connections = new DefaultChannelGroup("demo-origin-connections", GlobalEventExecutor.INSTANCE);
    SslContext tls = null;
    Path caFile = null;
    boolean deleteCaFile = false;
    if (profile.tls()) {
      ThrowAwayCa ca = ThrowAwayCa.create(options.host());
      tls = ca.serverContext();
      caFile = options.caFile();
      if (caFile == null) {
        caFile = temporaryCaFile();
        deleteCaFile = true;
      }
      ca.writeCaPem(caFile);
    }
    EncodedContent encodedContent = new EncodedContent(profile);
    DemoOriginInitializer initializer = new DemoOriginInitializer(options, new ResourceResolver(catalog, profile),
        stats, catalog.toJson().getBytes(StandardCharsets.UTF_8), connections, tls, encodedContent);
    Transport transport = Transport.best();
    EventLoopGroup group = transport.newGroup(EVENT_LOOP_THREADS, "demo-origin");
    ChannelFuture bind = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(initializer)
        .bind(options.host(), options.port())
        .awaitUninterruptibly();
    if (!bind.isSuccess()) {
      encodedContent.close();
      if (deleteCaFile) {
        deleteQuietly(caFile);
      }
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      String where = options.host() + ":" + options.port();
      Throwable cause = bind.cause();
      if (cause instanceof IOException) {
        throw new UncheckedIOException("demo origin cannot listen on " + where + ": " + cause.getMessage(),
            (IOException) cause);
      }
      throw new IllegalStateException("demo origin cannot listen on " + where, cause);
    }
    InetSocketAddress local = (InetSocketAddress) bind.channel().localAddress();
    URI baseUri = uri(local, profile.tls() ? "https" : "http");
    String transportName = transport.name().toLowerCase(Locale.ROOT);
    if (profile.tls()) {
      logger.info("demo origin listening on {} (seed {}, {} transport, cdn profile: TLS through {}, "
              + "throw-away CA in {}, codings {})", baseUri, options.seed(), transportName,
          ThrowAwayCa.provider() == SslProvider.OPENSSL ? "BoringSSL" : "the JDK",
          caFile, ContentCoding.BR.available() ? "br, gzip" : "gzip (brotli unavailable)");
    } else {
      logger.info("demo origin listening on {} (seed {}, {} transport)", baseUri, options.seed(), transportName);
    }
    return new DemoOrigin(group, bind.channel(), catalog, stats, baseUri, connections, encodedContent, caFile,
        deleteCaFile);
  }

  /** Returns the port the origin listens on (the ephemeral one when port 0 was asked). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * Returns the origin's URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}, or
   * {@code https://127.0.0.1:41234} under a TLS profile. A wildcard bind address is given as the
   * loopback address, which reaches it.
   */
  public URI baseUri() {
    return baseUri;
  }

  /**
   * Returns the file holding the throw-away CA's certificate (PEM) that a client must trust to
   * reach this origin over HTTPS, or empty for a plain HTTP origin. A temporary one (no
   * {@link DemoOriginOptions#caFile()} given) is deleted when the origin closes.
   */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /** Returns the catalog served. */
  public Catalog catalog() {
    return catalog;
  }

  /** Returns the live request and byte counts. */
  public OriginStats stats() {
    return stats;
  }

  /**
   * Stops listening, closes every connection and waits (at most 5 s) for the event loops to
   * stop. Idempotent.
   */
  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    // Close every connection explicitly: shutting the event loops down was seen to leave an
    // idle keep-alive connection open (never read, never closed), which a client then waits on.
    connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      logger.warn("demo origin event loops did not stop within {} s", SHUTDOWN_TIMEOUT_SECONDS);
    }
    encodedContent.close();
    if (deleteCaFile) {
      deleteQuietly(caFile);
    }
  }

  @Override
  public String toString() {
    return "DemoOrigin{" + baseUri + ", seed=" + catalog.seed() + "}";
  }

  private static Path temporaryCaFile() {
    try {
      return Files.createTempFile("demo-origin-ca-", ".pem");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file for the demo origin's CA", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      logger.debug("cannot delete {}: {}", file, e.toString());
    }
  }

  private static URI uri(InetSocketAddress local, String scheme) {
    InetAddress address = local.getAddress();
    if (address.isAnyLocalAddress()) {
      address = InetAddress.getLoopbackAddress();
    }
    String host = address.getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host.replaceFirst("%.*$", "") + "]";
    }
    return URI.create(scheme + "://" + host + ":" + local.getPort());
  }
}
