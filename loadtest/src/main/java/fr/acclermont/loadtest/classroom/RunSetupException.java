package fr.acclermont.loadtest.classroom;

/**
 * A run cannot start: the target or origin cannot be used (exit code 1), or a flag names
 * something that does not exist, such as an unknown book (exit code 2). The message is one line
 * for the user.
 */
final class RunSetupException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  RunSetupException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Returns the command's exit code for this failure. */
  int exitCode() {
    return exitCode;
  }
}
