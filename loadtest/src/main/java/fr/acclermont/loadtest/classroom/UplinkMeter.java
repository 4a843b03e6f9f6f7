package fr.acclermont.loadtest.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.SimpleResponse;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.report.UplinkFigures;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Counts what crossed the uplink in a round from the origin's {@code /_origin/stats}: reset
 * before the round, read after it, in total or for one path. The origin is {@code --origin}, or
 * the target itself when it exposes the counts ({@link #of}). The origin must serve nobody else
 * meanwhile for the figures to be the round's alone.
 *
 * <p>Used from the command's thread, which it blocks while it waits for the origin.
 */
final class UplinkMeter {

  static final String STATS_PATH = "/_origin/stats";
  static final String RESET_PATH = "/_origin/stats/reset";
  /** A proxy may still be filling its cache after the students are done: wait for the counts to settle. */
  private static final long SETTLE_MILLIS = 250;
  private static final int MAX_SETTLE_READS = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoadClient client;
  private final Target origin;

  UplinkMeter(LoadClient client, Target origin) {
    this.client = client;
    this.origin = origin;
  }

  /**
   * Returns the meter of a run: on {@code origin} when one was given ({@code --origin}); otherwise
   * on the target itself if it exposes the counts (it is the origin, or a proxy that passes
   * {@code /_origin/stats} and its reset through), so a baseline run straight at the origin needs
   * no {@code --origin}; otherwise {@code null}, and the run reports no uplink figures. A given
   * {@code origin} that cannot be reached fails the run at its first reset.
   */
  static @Nullable UplinkMeter of(LoadClient client, @Nullable Target origin) {
    if (origin != null) {
      return new UplinkMeter(client, origin);
    }
    UplinkMeter target = new UplinkMeter(client, client.target());
    return target.countsAnswered() ? target : null;
  }

  /** Returns the origin's URL. */
  Target origin() {
    return origin;
  }

  /** Sets the origin's counts to zero. */
  void reset() throws RunSetupException {
    SimpleResponse response = send(HttpMethod.POST, RESET_PATH);
    if (response.status() / 100 != 2) {
      throw new RunSetupException(1, "--origin " + origin + ": POST " + RESET_PATH + " answered " + response.status()
          + " (expected: 204; is it the loadtest or demo origin?)");
    }
  }

  /**
   * Reads the totals once they stop moving: two reads {@value #SETTLE_MILLIS} ms apart that agree,
   * or the last of {@value #MAX_SETTLE_READS} reads.
   */
  UplinkFigures read() throws RunSetupException, InterruptedException {
    return settled(UplinkMeter::figures);
  }

  /**
   * Reads the counts of one path (without query string), as {@link #read()} does the totals;
   * zero if the origin did not serve that path since the reset.
   */
  UplinkFigures read(String path) throws RunSetupException, InterruptedException {
    return settled(stats -> figures(stats.path("paths").path(path)));
  }

  /** Returns whether a reset and a read of the counts both succeed (the reset is redone before each round). */
  private boolean countsAnswered() {
    try {
      reset();
      readOnce();
      return true;
    } catch (RunSetupException e) {
      return false;
    }
  }

  private UplinkFigures settled(Function<JsonNode, UplinkFigures> select)
      throws RunSetupException, InterruptedException {
    UplinkFigures previous = select.apply(readOnce());
    for (int i = 1; i < MAX_SETTLE_READS; i++) {
      TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
      UplinkFigures current = select.apply(readOnce());
      if (current.equals(previous)) {
        return current;
      }
      previous = current;
    }
    return previous;
  }

  private JsonNode readOnce() throws RunSetupException {
    SimpleResponse response = send(HttpMethod.GET, STATS_PATH);
    try {
      JsonNode stats = JSON.readTree(response.body());
      if (response.status() != 200 || !stats.path("requests").canConvertToLong()
          || !stats.path("bytes").canConvertToLong()) {
        throw new IOException("status " + response.status());
      }
      return stats;
    } catch (IOException e) {
      throw new RunSetupException(1, "--origin " + origin + ": GET " + STATS_PATH
          + " did not answer {\"requests\":N,\"bytes\":N} (" + e.getMessage() + ")");
    }
  }

  /** Returns the counts of a stats node, zero where absent (a path never served). */
  private static UplinkFigures figures(JsonNode counts) {
    return new UplinkFigures(counts.path("requests").asLong(), counts.path("bytes").asLong());
  }

  private SimpleResponse send(HttpMethod method, String path) throws RunSetupException {
    try {
      return client.control(origin, method, path).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunSetupException(1, "--origin " + origin + ": interrupted");
    } catch (ExecutionException e) {
      throw new RunSetupException(1, "cannot reach --origin " + origin + ": " + e.getCause().getMessage());
    }
  }
}
