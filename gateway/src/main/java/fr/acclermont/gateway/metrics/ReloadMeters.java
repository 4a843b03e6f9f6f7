package fr.acclermont.gateway.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of configuration reloads (SIGHUP, {@code POST /reload}), named as Prometheus names its
 * own: {@code gateway_config_reloads_total{result}}, {@code gateway_config_last_reload_successful}
 * (1, or 0 after a refused reload until one is applied) and
 * {@code gateway_config_last_reload_success_timestamp_seconds} (start-up, then each applied reload).
 */
public final class ReloadMeters {

  /** How a reload ended: the {@code result} label, in lower case with dashes. */
  public enum Result {
    /** Read, checked and applied. */
    APPLIED,
    /** Read and checked: nothing differs from the running configuration. */
    UNCHANGED,
    /** The file is invalid: the running configuration is kept. */
    INVALID,
    /** Something changed that needs a restart: the running configuration is kept. */
    RESTART_REQUIRED;

    /** The label value. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final Map<Result, Counter> reloads = new EnumMap<>(Result.class);
  private final AtomicLong lastSuccessful = new AtomicLong(1);
  private final AtomicLong lastSuccessMillis;

  /** Registers the meters; the configuration loaded at start-up counts as the last success. */
  public ReloadMeters(MeterRegistry registry, long startMillis) {
    requireNonNull(registry, "registry");
    for (Result result : Result.values()) {
      reloads.put(result, Counter.builder("gateway.config.reloads")
          .description("Configuration reloads (SIGHUP, POST /reload), by result")
          .tag("result", result.label())
          .register(registry));
    }
    this.lastSuccessMillis = new AtomicLong(startMillis);
    Gauge.builder("gateway.config.last.reload.successful", lastSuccessful, AtomicLong::get)
        .description("1 if the last configuration reload was applied (or nothing changed), 0 if it was refused")
        .register(registry);
    Gauge.builder("gateway.config.last.reload.success.timestamp", lastSuccessMillis, m -> m.get() / 1000.0)
        .description("When the configuration running was loaded: start-up or the last reload applied")
        .baseUnit("seconds")
        .register(registry);
  }

  /** Counts a reload that ended with {@code result} at {@code nowMillis}. */
  public void reloaded(Result result, long nowMillis) {
    reloads.get(result).increment();
    boolean refused = result == Result.INVALID || result == Result.RESTART_REQUIRED;
    lastSuccessful.set(refused ? 0 : 1);
    if (result == Result.APPLIED) {
      lastSuccessMillis.set(nowMillis);
    }
  }
}
