package fr.acclermont.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load-test tools' command line. The {@code origin}, {@code classroom} and {@code school-day}
 * commands of DESIGN.md arrive with the load-test issue; this module already builds the jar.
 */
@Command(name = "loadtest.jar", mixinStandardHelpOptions = true,
    description = "Origin simulator and classroom load generator for the textbook gateway (commands to come).")
public final class Main implements Runnable {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
