package fr.acclermont.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the Prometheus binaries ({@code prometheus}, {@code promtool}) for the tests that run them.
 * CI ({@code .ci/run}) installs Debian's {@code prometheus} package and sets
 * {@value #REQUIRE_ENV}{@code =1}: a missing binary is then a test failure. On a developer machine
 * without it, those tests are skipped, with a line on stderr saying so.
 */
public final class PrometheusBinaries {

  /** Set to {@code 1} where the binaries must be present (CI). */
  public static final String REQUIRE_ENV = "GATEWAY_REQUIRE_PROMETHEUS";

  private PrometheusBinaries() {
  }

  /**
   * The path of {@code name}: on {@code PATH}, else in {@code /usr/bin}. Missing: fails the test if
   * {@value #REQUIRE_ENV} is {@code 1}, else aborts it (skipped, counted as such by Surefire) after a
   * loud line on stderr. Call it from each test (or {@code @BeforeEach}): an abort in
   * {@code @BeforeAll} is not counted as skipped tests.
   */
  public static Path require(String name) {
    Optional<Path> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    failIfRequired(name);
    System.err.println("*** SKIPPED: " + missing(name) + ". Set " + REQUIRE_ENV + "=1 to make this a failure. ***");
    return Assumptions.abort(missing(name));
  }

  /** Fails if {@code name} is missing and {@value #REQUIRE_ENV} is {@code 1}. */
  public static void failIfRequired(String name) {
    if (find(name).isEmpty() && "1".equals(System.getenv(REQUIRE_ENV))) {
      fail(missing(name) + "; " + REQUIRE_ENV + "=1 makes this a failure");
    }
  }

  private static String missing(String name) {
    return name + " not found on PATH nor in /usr/bin: the tests that run Prometheus need it"
        + " (Debian/Ubuntu: apt-get install --no-install-recommends prometheus)";
  }

  /** The path of {@code name}: on {@code PATH}, else in {@code /usr/bin}; empty when missing. */
  public static Optional<Path> find(String name) {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, name));
        }
      }
    }
    candidates.add(Path.of("/usr/bin", name));
    return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }
}
