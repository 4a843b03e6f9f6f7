package fr.acclermont.loadtest.report;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a report shows: what was run, against what, with which settings, and each round.
 *
 * @param command the command, {@code classroom} or {@code school-day}
 * @param title a one-line description, e.g. {@code 35 students open maths-6e}
 * @param target the target URL
 * @param origin the origin URL whose stats give the uplink figures, or {@code null}
 * @param startedAt when the run started
 * @param settings the run's settings by flag name without dashes (e.g. {@code students}),
 *     values as given or defaulted: strings, numbers or booleans
 * @param rounds the rounds, in order
 */
public record RunReport(String command, String title, String target, @Nullable String origin, Instant startedAt,
    Map<String, Object> settings, List<RoundResult> rounds) {

  /** Validates and freezes the components. */
  public RunReport {
    requireNonNull(command, "command");
    requireNonNull(title, "title");
    requireNonNull(target, "target");
    requireNonNull(startedAt, "startedAt");
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    rounds = List.copyOf(rounds);
  }
}
