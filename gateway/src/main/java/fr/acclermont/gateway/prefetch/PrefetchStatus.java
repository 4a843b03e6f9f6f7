package fr.acclermont.gateway.prefetch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where prefetching stands, as the management port ({@code GET /prefetch}) and the status page show
 * it: a snapshot, immutable.
 *
 * @param state what prefetching is doing
 * @param objectsDone objects of the current (or last) run found fresh, revalidated or fetched
 * @param objectsFailed objects of that run that could not be fetched or stored (tried again at the
 *     next run)
 * @param objectsTotal objects known to that run so far (grows while its manifests are read)
 * @param bytes body bytes that run received from origins
 * @param currentList the list the object being prefetched comes from, or null
 * @param current the object being prefetched (its path and query, its origin's name first), or null
 * @param lastError the last failure (of a list, a manifest or an object), or null
 * @param runStarted when that run started (or resumed), or null before the first
 * @param lastCompleted when the last run completed, or null
 * @param nextWindow when the next window starts, or null without windows
 */
public record PrefetchStatus(State state, long objectsDone, long objectsFailed, long objectsTotal, long bytes,
    @Nullable String currentList, @Nullable String current, @Nullable String lastError,
    @Nullable Instant runStarted, @Nullable Instant lastCompleted, @Nullable Instant nextWindow) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What prefetching is doing. */
  public enum State {
    /** Off (no lists), or without windows and no run asked for yet. */
    IDLE("idle"),
    /** Outside the windows: the next run starts with the next window. */
    WAITING("waiting"),
    /** A run is going: fetching, or waiting for its turn behind the clients' fetches or the rate cap. */
    RUNNING("running"),
    /** The last run completed, and no run is due before the next window. */
    DONE("done");

    private final String tag;

    State(String tag) {
      this.tag = tag;
    }

    /** The lowercase name, as in JSON and logs. */
    public String tag() {
      return tag;
    }
  }

  /** Validates the components. */
  public PrefetchStatus {
    requireNonNull(state, "state");
  }

  /** Prefetching off: no lists are configured. */
  static PrefetchStatus off() {
    return new PrefetchStatus(State.IDLE, 0, 0, 0, 0, null, null, null, null, null, null);
  }

  /**
   * The status as one JSON object: {@code state}, {@code objects} ({@code done}, {@code failed},
   * {@code total}), {@code bytes}, and when known {@code current_list}, {@code current},
   * {@code last_error}, {@code run_started}, {@code last_completed}, {@code next_window} (ISO-8601
   * instants).
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode().put("state", state.tag());
    root.putObject("objects").put("done", objectsDone).put("failed", objectsFailed).put("total", objectsTotal);
    root.put("bytes", bytes);
    putIfKnown(root, "current_list", currentList);
    putIfKnown(root, "current", current);
    putIfKnown(root, "last_error", lastError);
    putIfKnown(root, "run_started", runStarted);
    putIfKnown(root, "last_completed", lastCompleted);
    putIfKnown(root, "next_window", nextWindow);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the prefetch status", e);
    }
  }

  private static void putIfKnown(ObjectNode root, String name, @Nullable Object value) {
    if (value != null) {
      root.put(name, value.toString());
    }
  }
}
