package fr.acclermont.gateway;

import fr.acclermont.gateway.config.ConfigException;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --config FILE}: the production entry point. Every option lives in the YAML file. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the gateway with a configuration file (see config/gateway.yaml).")
final class RunCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig loaded;
    Gateway gateway;
    Signals signals = Signals.install(); // before start-up: a SIGUSR1 or SIGHUP then must not end the JVM
    try {
      loaded = ConfigLoader.load(config, System.getenv());
      gateway = Gateway.start(loaded, Clock.systemUTC(), config, System.getenv());
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      System.err.println("cannot start: " + e.getMessage());
      return 1;
    }
    signals.running(gateway);
    runUntilSignalled(gateway);
    return 0;
  }

  /** Blocks until SIGTERM/SIGINT, then stops the gateway gracefully before the JVM exits. */
  static void runUntilSignalled(AutoCloseable... services) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (AutoCloseable service : services) {
        try {
          service.close();
        } catch (Exception e) {
          System.err.println("error while stopping: " + e);
        }
      }
      stopped.countDown();
    }, "gateway-shutdown"));
    stopped.await();
  }
}
