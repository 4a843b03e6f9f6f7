package fr.acclermont.gateway.reload;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.metrics.ReloadMeters.Result;

/**
 * How a reload ended, and the one line that says so (logged, and the body of {@code POST /reload}'s
 * answer).
 *
 * @param result applied, unchanged, or refused (invalid, restart required)
 * @param message what was applied, or why nothing was
 */
public record ReloadOutcome(Result result, String message) {

  public ReloadOutcome {
    requireNonNull(result, "result");
    requireNonNull(message, "message");
  }

  /** Whether the running configuration was kept because the new one was refused. */
  public boolean refused() {
    return result == Result.INVALID || result == Result.RESTART_REQUIRED;
  }
}
