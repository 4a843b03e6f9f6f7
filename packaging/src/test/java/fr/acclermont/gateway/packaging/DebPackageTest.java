package fr.acclermont.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package (issue 19 point 5): {@code dpkg -i} of the built .deb, its files and user,
 * {@code systemd-analyze verify} of its unit where the command exists, then the unit's own
 * ExecStartPre and ExecStart run as the unit would run them (its User and Group, its ambient and
 * bounding capabilities, no new privileges, its LimitNOFILE when this machine allows it, its
 * working directory, systemd's environment), the gateway serving on the packaged configuration's
 * ports 80 and 9090, a reload by the unit's {@code ExecReload} (SIGHUP) that keeps it serving, a clean
 * SIGTERM, and {@code dpkg --purge} leaving nothing behind.
 *
 * <p>It changes the machine (a package, a system user, ports 80 and 9090 while it runs), so it
 * runs as root only, and refuses to start when the package or its user is already there or a port
 * is taken. Elsewhere it is skipped, except under {@code GATEWAY_CI=1} (set by {@code .ci/run}),
 * where not being root or lacking dpkg is a failure. PID 1 is not systemd in CI's containers: the
 * test starts what the unit's command lines say, not {@code systemctl start}; the file-system
 * sandbox (ProtectSystem=strict and the rest) is checked by {@code systemd-analyze verify} only.
 */
class DebPackageTest {

  private static final String PACKAGE = "textbook-gateway";
  private static final String USER = "textbook-gateway";
  private static final Path UNIT = Path.of("/lib/systemd/system/textbook-gateway.service");
  private static final Path CONFIG = Path.of("/etc/textbook-gateway/gateway.yaml");
  private static final Path CACHE = Path.of("/var/cache/textbook-gateway");
  private static final Path LOGS = Path.of("/var/log/textbook-gateway");
  private static final int EDGE_PORT = 80;
  private static final int ADMIN_PORT = 9090;
  /** systemd's PATH for services. */
  private static final String SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

  @TempDir
  Path work;

  private boolean installed;
  private Process gateway;

  @BeforeEach
  void rootAndDpkg() throws Exception {
    boolean ci = "1".equals(System.getenv("GATEWAY_CI"));
    for (String[] need : List.of(new String[] {"root", String.valueOf(isRoot())},
        new String[] {"dpkg", String.valueOf(onPath("dpkg"))})) {
      if (!Boolean.parseBoolean(need[1])) {
        String why = "the Debian package test needs " + need[0] + " (it installs and purges the package)";
        if (ci) {
          fail(why + "; under GATEWAY_CI=1 this is a failure, not a skip");
        }
        Assumptions.abort(why);
      }
    }
  }

  @AfterEach
  void leaveTheMachineAsItWas() throws Exception {
    if (gateway != null) {
      // The whole tree, in case the launcher did not exec the JVM: the user's processes would
      // outlive the test and keep the ports.
      List<ProcessHandle> tree = new ArrayList<>(gateway.descendants().toList());
      tree.add(gateway.toHandle());
      tree.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle process : tree) {
        process.onExit().get(20, TimeUnit.SECONDS);
      }
    }
    if (installed) {
      run("dpkg", "--purge", PACKAGE);
    }
  }

  @Test
  void dpkgInstall_unitVerifies_unitsCommandsServeThePackagedConfiguration_purgeLeavesNothing() throws Exception {
    Path deb = Path.of(System.getProperty("deb.file", "target/textbook-gateway.deb"));
    assertThat(deb).as("the package built at package").isRegularFile();
    assertThat(packageInstalled()).as("%s is already installed here: the test would purge it", PACKAGE).isFalse();
    assertThat(run("getent", "passwd", USER).code())
        .as("user %s already exists here: purging the package would delete it", USER).isNotZero();
    for (int port : new int[] {EDGE_PORT, ADMIN_PORT}) {
      assertThat(accepts(port)).as("port %d is in use on this machine: the packaged configuration listens there;"
          + " stop what listens (ss -ltnp) to run this test", port).isFalse();
    }

    installed = true; // from here, purge whatever happens (dpkg -i may fail half-way)
    Result install = run("dpkg", "-i", deb.toString());
    assertThat(install.code()).as("dpkg -i %s (Depends: a Debian java17-runtime-headless such as"
        + " openjdk-17-jre-headless, and adduser):%n%s", deb, install.output()).isZero();
    assertThat(packageInstalled()).isTrue();

    // Files, conffiles, user and directories.
    assertThat(Path.of("/usr/share/textbook-gateway/gateway.jar")).isRegularFile();
    assertThat(Path.of("/usr/bin/textbook-gateway")).isExecutable();
    assertThat(UNIT).isRegularFile();
    assertThat(Path.of("/etc/logrotate.d/textbook-gateway")).isRegularFile();
    assertThat(Path.of("/usr/share/doc/textbook-gateway/examples/haproxy/haproxy.cfg")).isRegularFile();
    assertThat(Path.of("/usr/share/doc/textbook-gateway/examples/haproxy/academie-node.yaml")).isRegularFile();
    assertThat(run("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE).output())
        .contains(" /etc/textbook-gateway/gateway.yaml ", " /etc/default/textbook-gateway ",
            " /etc/logrotate.d/textbook-gateway ");
    String[] passwd = run("getent", "passwd", USER).output().strip().split(":");
    assertThat(passwd).hasSize(7);
    assertThat(passwd[6]).as("login shell").isEqualTo("/usr/sbin/nologin");
    assertThat(Integer.parseInt(passwd[2])).as("a system user's uid").isLessThan(1000);
    assertThat(Files.getOwner(CACHE).getName()).isEqualTo(USER);
    assertThat(Files.getOwner(LOGS).getName()).isEqualTo(USER);

    // The unit: its hardening, and systemd's own verdict where systemd-analyze exists.
    Map<String, List<String>> service = serviceSection(Files.readAllLines(UNIT));
    assertThat(service.get("User")).containsExactly(USER);
    assertThat(service.get("ProtectSystem")).containsExactly("strict");
    assertThat(service.get("ReadWritePaths")).containsExactly(CACHE + " " + LOGS);
    assertThat(service.get("AmbientCapabilities")).containsExactly("CAP_NET_BIND_SERVICE");
    assertThat(service.get("CapabilityBoundingSet")).containsExactly("CAP_NET_BIND_SERVICE");
    assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
    assertThat(service.get("ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
    assertThat(service.get("SuccessExitStatus")).containsExactly("143");
    String config = Files.readString(CONFIG);
    assertThat(config).as("the packaged configuration writes inside ReadWritePaths only")
        .contains("path: " + CACHE + "\n", "path: " + LOGS + "/access.log\n");
    if (onPath("systemd-analyze")) {
      Result verify = run("systemd-analyze", "verify", UNIT.toString());
      assertThat(verify.code()).as("systemd-analyze verify:%n%s", verify.output()).isZero();
      assertThat(verify.output()).as("systemd-analyze verify's warnings").doesNotContain("textbook-gateway");
    } else {
      System.err.println("DebPackageTest: no systemd-analyze on this machine: the unit is not verified");
    }
    if (onPath("logrotate")) {
      Result logrotate = run("logrotate", "--debug", "/etc/logrotate.d/textbook-gateway");
      assertThat(logrotate.code()).as("logrotate --debug:%n%s", logrotate.output()).isZero();
      assertThat(logrotate.output()).doesNotContainIgnoringCase("error");
    }

    // ExecStartPre: check, with run's JVM flags.
    List<String> asTheUnit = asTheUnit(service);
    Result check = startAsTheUnit(asTheUnit, service, service.get("ExecStartPre").get(0), ProcessBuilder.Redirect.PIPE)
        .waitForResult();
    assertThat(check.code()).as("ExecStartPre:%n%s", check.output()).isZero();
    assertThat(check.output()).contains("configuration OK: " + CONFIG);

    // ExecStart: the gateway on the packaged configuration, its origin a placeholder that never resolves.
    Path log = work.resolve("gateway.log");
    gateway = startAsTheUnit(asTheUnit, service, service.get("ExecStart").get(0), ProcessBuilder.Redirect.to(log.toFile()))
        .process();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!gateway.isAlive()) {
        fail("the gateway exited with " + gateway.exitValue() + ":\n" + Files.readString(log));
      }
      return status(client, "http://127.0.0.1:" + ADMIN_PORT + "/healthz") == 200 && accepts(EDGE_PORT);
    });
    long pid = gateway.pid();
    String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
    assertThat(cmdline).as("the launcher execs the JVM: the unit's main PID is the JVM, and gets its signals")
        .startsWith("java ").contains(" -XX:MaxDirectMemorySize=747m ")
        .endsWith(" -jar /usr/share/textbook-gateway/gateway.jar run --config " + CONFIG + " ");
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    assertThat(status).containsPattern("(?m)^Uid:\\s+" + passwd[2] + "\\s+" + passwd[2] + "\\s");
    assertThat(Long.parseLong(status.replaceAll("(?s).*\\nCapAmb:\\s+([0-9a-f]+).*", "$1"), 16))
        .as("ambient capabilities: CAP_NET_BIND_SERVICE (bit 10) alone").isEqualTo(1L << 10);
    assertThat(status(client, "http://127.0.0.1:" + EDGE_PORT + "/deb-test")).as("the origin is unreachable").isEqualTo(502);
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(LOGS.resolve("access.log"))
        && Files.readString(LOGS.resolve("access.log")).contains("\"path\":\"/deb-test\""));
    assertThat(CACHE.resolve("gateway.lock")).isRegularFile();

    // systemctl reload: the unit's ExecReload with $MAINPID, as systemd runs it. The gateway reloads
    // the packaged file (nothing changed) and goes on serving: SIGHUP must not stop it.
    String reload = service.get("ExecReload").get(0).replace("$MAINPID", Long.toString(pid));
    assertThat(run(reload.split(" ")).code()).as(reload).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("reload (" + CONFIG + "): "));
    assertThat(Files.readString(log)).contains("reload (" + CONFIG + "): nothing changed");
    assertThat(gateway.isAlive()).isTrue();
    assertThat(status(client, "http://127.0.0.1:" + ADMIN_PORT + "/healthz")).isEqualTo(200);

    // SIGTERM: a graceful stop, with the exit status the unit counts as success.
    gateway.destroy();
    assertThat(gateway.waitFor(40, TimeUnit.SECONDS)).as("stopped within TimeoutStopSec").isTrue();
    assertThat(gateway.exitValue()).as("exit status after SIGTERM:%n%s", Files.readString(log)).isEqualTo(143);
    assertThat(Files.readString(log)).contains("gateway stopped");

    // Purge: nothing left.
    Result purge = run("dpkg", "--purge", PACKAGE);
    assertThat(purge.code()).as("dpkg --purge:%n%s", purge.output()).isZero();
    installed = false;
    assertThat(packageInstalled()).isFalse();
    assertThat(run("getent", "passwd", USER).code()).as("the user is gone").isNotZero();
    assertThat(run("getent", "group", USER).code()).as("the group is gone").isNotZero();
    for (String gone : List.of("/usr/share/textbook-gateway", "/usr/bin/textbook-gateway", UNIT.toString(),
        "/etc/textbook-gateway", "/etc/default/textbook-gateway", "/etc/logrotate.d/textbook-gateway",
        CACHE.toString(), LOGS.toString(), "/usr/share/doc/textbook-gateway",
        "/etc/systemd/system/multi-user.target.wants/textbook-gateway.service",
        "/var/lib/systemd/deb-systemd-helper-enabled/textbook-gateway.service.dsh-also",
        "/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/textbook-gateway.service",
        "/var/lib/systemd/deb-systemd-helper-masked/textbook-gateway.service")) {
      assertThat(Files.exists(Path.of(gone), LinkOption.NOFOLLOW_LINKS)).as("%s after purge", gone).isFalse();
    }
  }

  /**
   * The unit's User, Group, capabilities and no-new-privileges as a setpriv command line, after a
   * prlimit for its LimitNOFILE when this machine's hard limit allows it (a container may cap it).
   */
  private static List<String> asTheUnit(Map<String, List<String>> service) throws IOException {
    List<String> command = new ArrayList<>();
    long nofile = Long.parseLong(service.get("LimitNOFILE").get(0));
    long hard = Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
        .map(l -> l.trim().split("\\s+")[4]).map(v -> v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v))
        .findFirst().orElseThrow();
    if (nofile <= hard) {
      command.addAll(List.of("prlimit", "--nofile=" + nofile + ":" + nofile));
    } else {
      System.err.println("DebPackageTest: this machine's hard limit of open files is " + hard
          + ", below the unit's LimitNOFILE=" + nofile + ": the gateway runs with " + hard);
    }
    String caps = capabilities(service.get("AmbientCapabilities").get(0));
    command.addAll(List.of("setpriv", "--reuid=" + service.get("User").get(0), "--regid=" + service.get("Group").get(0),
        "--init-groups", "--inh-caps=" + caps, "--ambient-caps=" + caps,
        "--bounding-set=-all," + capabilities(service.get("CapabilityBoundingSet").get(0))));
    if ("yes".equals(service.get("NoNewPrivileges").get(0))) {
      command.add("--no-new-privs");
    }
    return command;
  }

  /** CAP_NET_BIND_SERVICE CAP_X as setpriv's +net_bind_service,+x. */
  private static String capabilities(String unitValue) {
    return String.join(",", Arrays.stream(unitValue.split("\\s+"))
        .map(cap -> "+" + cap.toLowerCase(java.util.Locale.ROOT).replaceFirst("^cap_", "")).toList());
  }

  /** One of the unit's command lines (no quoting or prefixes in ours), as the unit runs it. */
  private Started startAsTheUnit(List<String> asTheUnit, Map<String, List<String>> service, String commandLine,
      ProcessBuilder.Redirect output) throws Exception {
    assertThat(commandLine).doesNotContain("\"", "'").doesNotStartWith("-").doesNotStartWith("+")
        .doesNotStartWith("!").doesNotStartWith("@");
    List<String> command = new ArrayList<>(asTheUnit);
    command.addAll(Arrays.asList(commandLine.split("\\s+")));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output)
        .directory(Path.of(service.get("WorkingDirectory").get(0)).toFile());
    String[] passwd = run("getent", "passwd", service.get("User").get(0)).output().strip().split(":");
    Map<String, String> env = builder.environment();
    env.clear(); // systemd's environment for a service with User=
    env.put("PATH", SYSTEMD_PATH);
    env.put("HOME", passwd[5]);
    env.put("USER", passwd[0]);
    env.put("LOGNAME", passwd[0]);
    env.put("SHELL", passwd[6]);
    return new Started(builder.start());
  }

  /** A started process; {@link #waitForResult} for one whose output is a pipe. */
  private record Started(Process process) {
    Result waitForResult() throws InterruptedException {
      return Result.of(process);
    }
  }

  /** The [Service] section's keys, each with its values in order. */
  private static Map<String, List<String>> serviceSection(List<String> unit) {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    String section = "";
    for (String line : unit) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
        continue;
      }
      if (l.startsWith("[")) {
        section = l;
      } else if (section.equals("[Service]")) {
        int eq = l.indexOf('=');
        keys.computeIfAbsent(l.substring(0, eq).strip(), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
      }
    }
    return keys;
  }

  private boolean packageInstalled() throws Exception {
    Result query = run("dpkg-query", "-W", "-f=${db:Status-Abbrev}", PACKAGE);
    // Not known to dpkg, or known as not installed (want/status "un", "pn").
    return query.code() == 0 && query.output().length() >= 2 && query.output().charAt(1) != 'n';
  }

  private static int status(HttpClient client, String url) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isRoot() throws Exception {
    return run("id", "-u").output().strip().equals("0");
  }

  private static boolean onPath(String command) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", SYSTEMD_PATH).concat(":" + SYSTEMD_PATH).split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  private record Result(int code, String output) {
    static Result of(Process process) throws InterruptedException {
      String output;
      try {
        output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("timed out: " + process.info().commandLine().orElse("?") + "\n" + output);
      }
      return new Result(process.exitValue(), output);
    }
  }

  private static Result run(String... command) throws Exception {
    return Result.of(new ProcessBuilder(command).redirectErrorStream(true).start());
  }
}
