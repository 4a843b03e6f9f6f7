package fr.acclermont.loadtest.classroom;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder, replaced by the real command. */
@Command(name = "classroom", description = "(not yet)")
public final class ClassroomCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("classroom: not implemented yet");
    return 1;
  }
}
