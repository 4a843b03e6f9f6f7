package fr.acclermont.loadtest.origin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder, replaced by the real command. */
@Command(name = "origin", description = "(not yet)")
public final class OriginCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("origin: not implemented yet");
    return 1;
  }
}
