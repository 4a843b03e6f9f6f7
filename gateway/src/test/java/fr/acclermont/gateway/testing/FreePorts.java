package fr.acclermont.gateway.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports, for a process a test starts and must tell its port beforehand. */
public final class FreePorts {

  private FreePorts() {
  }

  /** A loopback port free when called (closed again at once: another process may take it meanwhile). */
  public static int loopback() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
