package fr.acclermont.gateway;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code run}, {@code check}, {@code jvm-flags} and {@code demo}. Wiring only. */
@Command(name = "gateway.jar", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Edge caching gateway for digital textbooks.",
    subcommands = {RunCommand.class, CheckCommand.class, JvmFlagsCommand.class, DemoCommand.class})
public final class Main implements Runnable {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    CommandLines.run(new Main(), args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Reports {@link Version#current()}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"textbook gateway " + Version.current()};
    }
  }
}
