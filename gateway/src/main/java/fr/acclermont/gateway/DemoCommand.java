package fr.acclermont.gateway;

import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.DemoEdgeCertificate;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.demo.OriginProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: an embedded origin with a synthetic catalog and a gateway in front of it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a gateway in front of an embedded demo origin (synthetic textbooks), then print URLs to try.")
final class DemoCommand implements Callable<Integer> {

  /** The demo's prefetch rate: its first book (about 600 MiB) in about a minute. */
  private static final String PREFETCH_RATE = "100mbit";

  @Option(names = "--port", defaultValue = "8080", description = "Client port of the gateway (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--tls-port", defaultValue = "8443",
      description = "HTTPS port of the gateway, with a throw-away certificate made at start (default ${DEFAULT-VALUE}).")
  int tlsPort;

  @Option(names = "--admin-port", defaultValue = "9090", description = "Management port (default ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address the gateway listens on (default ${DEFAULT-VALUE}; 0.0.0.0 to let tablets on the LAN try it).")
  String host;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic catalog (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--profile", defaultValue = "cdn",
      description = "How the embedded origin behaves: cdn (default: HTTPS with a throw-away CA, text gzip/br with "
          + "Vary: Accept-Encoding, a publisher's Cache-Control, as real textbook clouds), https (plain answers over "
          + "HTTPS) or plain (HTTP, identity bodies).")
  String profile;

  @Override
  public Integer call() throws InterruptedException {
    OriginProfile originProfile;
    try {
      originProfile = OriginProfile.parse(profile);
    } catch (IllegalArgumentException e) {
      System.err.println("--" + e.getMessage());
      return 2;
    }
    DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder().seed(seed).profile(originProfile).build());
    Path diskDir;
    Path accessLog;
    Path prefetchList;
    Path tlsDir;
    DemoEdgeCertificate certificate;
    try {
      diskDir = Files.createTempDirectory("textbook-gateway-demo-");
      // Beside the cache folder, not in it: the disk tier owns every file in its folder.
      accessLog = Files.createTempFile("textbook-gateway-demo-access-", ".log");
      prefetchList = Files.writeString(Files.createTempFile("textbook-gateway-demo-prefetch-", ".txt"),
          "# The demo catalog's first book: its manifest lists its index page, PDF, video and assets.\n"
              + origin.catalog().books().get(0).manifestPath() + "\n");
      tlsDir = Files.createTempDirectory("textbook-gateway-demo-tls-");
      certificate = DemoEdgeCertificate.create(tlsDir, host, isWildcard() ? lanAddresses() : List.of());
    } catch (IOException | java.io.UncheckedIOException e) {
      origin.close();
      System.err.println("cannot start the demo: cannot create a disk cache folder or an access log: " + e);
      return 1;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(ConfigLoader.parse(yaml(origin, diskDir, accessLog, prefetchList, certificate),
          Map.of()));
    } catch (RuntimeException e) {
      origin.close();
      FileUtils.deleteQuietly(diskDir.toFile());
      FileUtils.deleteQuietly(accessLog.toFile());
      FileUtils.deleteQuietly(prefetchList.toFile());
      FileUtils.deleteQuietly(tlsDir.toFile());
      System.err.println("cannot start the demo: " + e.getMessage());
      return 1;
    }
    printUrls(System.out, origin, gateway, diskDir, accessLog, certificate);
    // One shutdown hook closes these in order: the folder goes once the gateway has stopped.
    AutoCloseable deleteDiskDir = () -> {
      FileUtils.deleteQuietly(diskDir.toFile());
      FileUtils.deleteQuietly(accessLog.toFile());
      FileUtils.deleteQuietly(prefetchList.toFile());
      FileUtils.deleteQuietly(tlsDir.toFile());
    };
    RunCommand.runUntilSignalled(gateway, origin, deleteDiskDir);
    return 0;
  }

  /**
   * The demo's gateway: its disk tier in a temporary folder, and a prefetch list of the catalog's
   * first book without windows, so that it is prefetched when asked ({@code POST /prefetch}).
   */
  private String yaml(DemoOrigin origin, Path diskDir, Path accessLog, Path prefetchList,
      DemoEdgeCertificate certificate) {
    return """
        school: demo
        server: { host: "%s", port: %d, tls: { port: %d, cert-file: %s, key-file: %s } }
        admin: { host: 127.0.0.1, port: %d }
        origins:
          - name: demo
            url: %s
            paths: ["/"]%s
        cache:
          memory: { max-bytes: 256MiB, max-object-bytes: 64MiB }
          disk: { path: %s }
        access-log: { path: %s }
        prefetch: { lists: [%s], max-rate: %s }
        """.formatted(host, port, tlsPort, singleQuoted(certificate.certFile().toString()),
        singleQuoted(certificate.keyFile().toString()), adminPort, origin.baseUri(), originTls(origin), singleQuoted(diskDir.toString()),
        singleQuoted(accessLog.toString()), singleQuoted(prefetchList.toString()), PREFETCH_RATE);
  }

  /** The origin's {@code tls} block: its throw-away CA trusted, for an origin over HTTPS; none for plain HTTP. */
  private static String originTls(DemoOrigin origin) {
    return origin.caFile().map(ca -> "\n    tls: { ca-file: " + singleQuoted(ca.toString()) + " }").orElse("");
  }

  /** Quotes text for YAML: single quotes take backslashes (Windows paths) literally. */
  private static String singleQuoted(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private boolean isWildcard() {
    return host.equals("0.0.0.0") || host.equals("::");
  }

  private void printUrls(PrintStream out, DemoOrigin origin, Gateway gateway, Path diskDir, Path accessLog,
      DemoEdgeCertificate certificate) {
    String base = "http://127.0.0.1:" + gateway.port();
    String secure = "https://127.0.0.1:" + gateway.tlsPort();
    Book book = origin.catalog().books().get(0);
    String asset = book.assets().get(0).path();
    out.println();
    out.println("Textbook gateway demo: a gateway on " + base + " in front of a demo origin on " + origin.baseUri()
        + " (profile " + profile.trim().toLowerCase(java.util.Locale.ROOT) + ")");
    origin.caFile().ifPresent(ca -> out.println("Origin's throw-away CA: " + ca + "   (trusted by the gateway: origins[].tls.ca-file)"));
    out.println("Gateway's throw-away CA: " + certificate.caFile() + "   (trust it: curl --cacert "
        + certificate.caFile() + " ..., or curl -k; on a tablet, install it as a CA; deleted when the demo stops)");
    out.println("Disk cache: " + diskDir + "   (deleted when the demo stops)");
    out.println("Access log: " + accessLog + "   (one JSON line per request: tail -f it; deleted too)");
    out.println();
    out.println("  Open a book:      " + base + book.indexPath() + "   (" + book.title() + ")");
    out.println("  Over HTTPS:       " + secure + book.indexPath());
    if (isWildcard()) {
      for (String address : lanAddresses()) {
        out.println("  From a tablet:    http://" + address + ":" + gateway.port() + book.indexPath());
        out.println("                    https://" + address + ":" + gateway.tlsPort() + book.indexPath());
      }
    }
    out.println("  Its manifest:     " + base + book.manifestPath());
    out.println("  Its PDF:          " + base + book.pdfPath() + "   (" + (book.pdfSize() >> 20) + " MiB, read with ranges)");
    out.println("  Any size of blob: " + base + "/blobs/20MiB/hello");
    out.println("  The catalog:      " + base + "/_origin/catalog");
    out.println("  Status page:      http://127.0.0.1:" + gateway.adminPort() + "/   (the technician's page: savings,"
        + " the 24 h chart, purge, prefetch; /status.json for scripts)");
    out.println("  Metrics:          http://127.0.0.1:" + gateway.adminPort() + "/metrics");
    out.println();
    out.println("  Fetch one asset twice and watch Cache-Status go from a miss (stored) to a hit:");
    out.println("    curl -s -o /dev/null -D - " + base + asset + " | grep -i cache-status");
    out.println("    curl -s -o /dev/null -D - --cacert " + certificate.caFile() + " " + secure + asset
        + " | grep -i cache-status");
    out.println();
    String admin = "http://127.0.0.1:" + gateway.adminPort() + "/prefetch";
    long bookBytes = book.assetBytes() + book.pdfSize() + book.videoSize();
    out.println("  Prefetch the whole book into the cache (its manifest, index page, PDF"
        + (book.hasVideo() ? ", video" : "") + " and " + book.assets().size() + " assets: " + (bookBytes >> 20)
        + " MiB, at most " + PREFETCH_RATE + "), then watch its progress:");
    out.println("    curl -s -X POST " + admin);
    out.println("    curl -s " + admin);
    out.println();
    out.println("Stop with Ctrl-C.");
    out.flush();
  }

  /** This machine's IPv4 addresses that tablets on the LAN can reach (up, not loopback). */
  private static List<String> lanAddresses() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(DemoCommand::upAndNotLoopback)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
          .map(InetAddress::getHostAddress)
          .toList();
    } catch (SocketException e) {
      return List.of(); // the URLs above still work on this machine
    }
  }

  private static boolean upAndNotLoopback(NetworkInterface nic) {
    try {
      return nic.isUp() && !nic.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
