package fr.acclermont.gateway;

import picocli.CommandLine;

/**
 * The command-line conventions shared by {@code gateway.jar} and {@code loadtest.jar}: a bad flag
 * gets one line naming it (not picocli's whole usage text) and exit code 2.
 */
public final class CommandLines {

  /** Exit code of a bad flag or argument. */
  public static final int USAGE_ERROR = 2;

  private CommandLines() {
  }

  /** Runs {@code command} with {@code args} and exits the JVM with its code when it is not 0. */
  public static void run(Object command, String[] args) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setParameterExceptionHandler((e, ignored) -> {
      e.getCommandLine().getErr().println(e.getCommandLine().getCommandName() + ": " + e.getMessage()
          + " (see --help)");
      return USAGE_ERROR;
    });
    int code = commandLine.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
