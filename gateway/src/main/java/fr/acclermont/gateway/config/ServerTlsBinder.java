package fr.acclermont.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds {@code server.tls}: off when absent; otherwise a port and the two PEM files, read here so
 * that a missing, unreadable or damaged file, or a key that is not the certificate's, stops
 * start-up naming its key. Stateless.
 */
final class ServerTlsBinder {

  /** The keys of {@code server.tls}. */
  static final List<String> KEYS = List.of("port", "cert-file", "key-file", "reload-interval");

  private static final Logger log = LoggerFactory.getLogger(ServerTlsBinder.class);
  private static final int MAX_PORT = 65_535;
  private static final String CERT_FORM = "the path of a PEM certificate chain, the server's"
      + " certificate first, such as /etc/textbook-gateway/tls/fullchain.pem";
  private static final String KEY_FORM = "the path of the certificate's PEM private key"
      + " (PKCS#8, PKCS#1 or EC, unencrypted), such as /etc/textbook-gateway/tls/privkey.pem";

  private ServerTlsBinder() {}

  /** Reads {@code server.tls}; null when absent. */
  static @Nullable ServerTlsConfig bind(ConfigReader tls, int plainPort) {
    if (!tls.isPresent()) {
      return null;
    }
    tls.map(KEYS);
    ConfigReader portKey = tls.child("port");
    if (!portKey.isPresent()) {
      throw portKey.fail("required when server.tls is set (expected an integer between 0 and 65535,"
          + " such as 8443; leave server.tls out to turn HTTPS off)");
    }
    int port = portKey.integer(0, MAX_PORT);
    if (port != 0 && port == plainPort) {
      throw portKey.fail(port + " (expected a port other than server.port, " + plainPort + ")");
    }
    ConfigReader certKey = required(tls.child("cert-file"), CERT_FORM);
    ConfigReader keyKey = required(tls.child("key-file"), KEY_FORM);
    Path certFile = Path.of(certKey.text(CERT_FORM, ConfigBinder::isPath));
    Path keyFile = Path.of(keyKey.text(KEY_FORM, ConfigBinder::isPath));
    Duration reload = tls.duration("reload-interval", ServerTlsConfig.DEFAULT_RELOAD_INTERVAL,
        Duration.ofMillis(10), ConfigBinder.MAX_TIMEOUT);
    TlsKeyPair pair;
    try {
      pair = TlsKeyPair.read(certFile, keyFile);
    } catch (TlsKeyPair.Unusable e) {
      ConfigReader at = e.part() == TlsKeyPair.Part.CERTIFICATE ? certKey : keyKey;
      String form = e.part() == TlsKeyPair.Part.CERTIFICATE ? CERT_FORM : KEY_FORM;
      throw at.fail(at.describe() + " (expected " + form + "; " + e.getMessage() + ")");
    }
    String validity = pair.validity(new Date());
    if (!validity.isEmpty()) {
      // Not a start-up error: the plain listener and the cache are still worth running.
      log.warn("{}: {}: {}; tablets will refuse the HTTPS listener", certKey.path(), certFile, validity);
    }
    return new ServerTlsConfig(port, certFile, keyFile, reload, pair);
  }

  private static ConfigReader required(ConfigReader key, String form) {
    if (!key.isPresent()) {
      throw key.fail("required when server.tls is set (expected " + form + ")");
    }
    return key;
  }
}
