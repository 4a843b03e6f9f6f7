package fr.acclermont.loadtest;

import fr.acclermont.gateway.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load-test tools' command line: {@code origin}, {@code classroom}, {@code school-day},
 * {@code cold-object}, {@code random-ranges}.
 */
@Command(name = "loadtest.jar", mixinStandardHelpOptions = true,
    description = "Origin simulator and classroom load generator for the textbook gateway.",
    subcommands = {fr.acclermont.loadtest.origin.OriginCommand.class,
        fr.acclermont.loadtest.classroom.ClassroomCommand.class,
        fr.acclermont.loadtest.classroom.SchoolDayCommand.class,
        fr.acclermont.loadtest.classroom.ColdObjectCommand.class,
        fr.acclermont.loadtest.classroom.RandomRangesCommand.class})
public final class Main implements Runnable {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    CommandLines.run(new Main(), args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
