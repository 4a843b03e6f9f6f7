package fr.acclermont.gateway.server;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestPki;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** What the HTTPS listener tests share: the pair's files, a gateway with them, clients trusting the test CA. */
final class TlsEdgeFixture {

  private TlsEdgeFixture() {
  }

  /** Writes {@code leaf}'s chain and key as {@code dir/fullchain.pem} and {@code dir/privkey.pem}, atomically. */
  static void writePair(Path dir, X509Bundle leaf) throws IOException {
    write(dir.resolve("fullchain.pem"), leaf.getCertificatePathPEM());
    write(dir.resolve("privkey.pem"), leaf.getPrivateKeyPEM());
  }

  static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The YAML of {@code server.tls} on an ephemeral port with the files of {@link #writePair}. */
  static String tlsYaml(Path dir, String more) {
    return "server: { tls: { port: 0, cert-file: \"" + dir.resolve("fullchain.pem") + "\", key-file: \""
        + dir.resolve("privkey.pem") + "\"" + more + " } }\n";
  }

  static Gateway start(URI origin, String extraYaml) {
    return TestGateways.start(origin, extraYaml, Clock.systemUTC());
  }

  /** A client context trusting the tests' CA only. */
  static SSLContext trustingTestCa() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, TestPki.CA.toTrustManagerFactory().getTrustManagers(), new SecureRandom());
    return context;
  }

  /** A connected, handshaken socket to 127.0.0.1:{@code port}, trusting the tests' CA. */
  static SSLSocket connect(int port, String... protocols) throws Exception {
    SSLSocket socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket("127.0.0.1", port);
    if (protocols.length > 0) {
      socket.setEnabledProtocols(protocols);
    }
    socket.setSoTimeout(15_000);
    socket.startHandshake();
    return socket;
  }
}
