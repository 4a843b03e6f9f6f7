package fr.acclermont.loadtest.classroom;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder, replaced by the real command. */
@Command(name = "school-day", description = "(not yet)")
public final class SchoolDayCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("school-day: not implemented yet");
    return 1;
  }
}
