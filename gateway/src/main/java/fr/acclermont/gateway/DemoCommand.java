package fr.acclermont.gateway;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: an embedded origin with a synthetic catalog and a gateway in front of it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a gateway in front of an embedded demo origin, with a temporary cache.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080", description = "Client port of the gateway (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--admin-port", defaultValue = "9090", description = "Management port (default ${DEFAULT-VALUE}).")
  int adminPort;

  @Override
  public Integer call() {
    throw new UnsupportedOperationException("demo arrives with the demo origin");
  }
}
