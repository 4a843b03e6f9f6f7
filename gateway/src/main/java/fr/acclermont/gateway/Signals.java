package fr.acclermont.gateway;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The signals {@code run} handles besides SIGTERM and SIGINT (a graceful stop, through the JVM's
 * shutdown hook, {@link RunCommand#runUntilSignalled}): SIGUSR1 reopens the log files
 * ({@link Gateway#reopenLogs}, for logrotate). The one place where signals are wired: another one
 * (SIGHUP for a reload) goes beside.
 *
 * <p>Installed before the gateway starts, so that a signal during start-up does not end the JVM
 * (SIGUSR1's and SIGHUP's default action): until {@link #running} is told the gateway, a SIGUSR1
 * or SIGHUP does nothing (the files were just opened, the configuration just read). Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the
 * JDK's only way to handle a signal. Handlers run on a thread the JVM starts for each signal.
 */
final class Signals {

  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  /** The signal that reopens the log files, without its {@code SIG} prefix. */
  static final String REOPEN_LOGS = "USR1";
  /** The signal that reloads the configuration file. */
  static final String RELOAD = "HUP";

  private volatile @Nullable Gateway gateway;

  private Signals() {
  }

  /** Installs the handlers; they act once {@link #running} is called. */
  static Signals install() {
    Signals signals = new Signals();
    handle(REOPEN_LOGS, () -> {
      Gateway running = signals.gateway;
      if (running != null) {
        running.reopenLogs();
      }
    });
    handle(RELOAD, () -> {
      Gateway running = signals.gateway;
      if (running != null) {
        running.reload(); // on the reload thread: its outcome is logged there
      }
    });
    return signals;
  }

  /** The gateway the handlers act on from now on. */
  void running(Gateway started) {
    gateway = started;
  }

  /**
   * Has {@code action} run on each {@code SIG<name>}; false (with one WARN line) when this JVM or
   * platform does not let it be handled (the signal then keeps its default action).
   */
  static boolean handle(String name, Runnable action) {
    try {
      Signal.handle(new Signal(name), signal -> {
        try {
          action.run();
        } catch (RuntimeException e) {
          log.warn("SIG{}: {}", name, e.toString());
        }
      });
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("cannot handle SIG{}: {}", name, e.getMessage());
      return false;
    }
  }
}
