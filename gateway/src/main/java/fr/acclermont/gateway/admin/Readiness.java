package fr.acclermont.gateway.admin;

import static java.util.Objects.requireNonNull;

/**
 * What {@code /readyz} answers: whether the gateway can serve clients (200, else 503) and a detail
 * for people, such as the disk index still loading while the gateway already serves from memory
 * and the origin.
 *
 * @param ready whether clients can be served
 * @param detail a short text after "ready"/"not ready", or empty
 */
public record Readiness(boolean ready, String detail) {

  /** Validates the components. */
  public Readiness {
    requireNonNull(detail, "detail");
  }
}
