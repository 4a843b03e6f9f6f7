package fr.acclermont.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.ChildGateway;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.FreePorts;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Head;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The académie tier as shipped: the very files {@code config/haproxy/haproxy.cfg} (a real HAProxy)
 * and {@code config/haproxy/academie-node.yaml} (three gateways, child processes), set through their
 * environment variables to ephemeral 127.0.0.1 ports and temporary disk directories, in front of the
 * demo origin. Each path is fetched from the origin once for the whole cluster and stored on one
 * node; a node killed with SIGKILL under load never makes a client get wrong bytes (a cut or a 5xx
 * at worst), and once HAProxy's checks take it out its paths are fetched once more, by one node
 * each, while the other paths stay where they were.
 */
class HaproxyClusterTest {

  private static final Path HAPROXY_CFG = Path.of("../config/haproxy/haproxy.cfg");
  private static final Path NODE_CONFIG = Path.of("../config/haproxy/academie-node.yaml");
  private static final int NODES = 3;
  private static final long MIB = 1 << 20;
  /** The size of the object whose response is under way on the node killed. */
  private static final long HELD_SIZE = 48 * MIB;

  /** 24 small objects (one slice each) and 6 of several 1 MiB slices, fetched whole and in ranges. */
  private static final Map<String, Long> OBJECTS = objects();

  @TempDir
  Path work;

  private DemoOrigin origin;
  private final List<Process> nodes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private HaproxyProcess haproxy;
  /** The two school gateways whose parent is the cluster (HAProxy's address). */
  private final List<Gateway> schools = new ArrayList<>();
  /** The client holding a response of the node killed (closed here too if the test fails first). */
  private TestHttpClient held;
  private final ExecutorService clients = Executors.newFixedThreadPool(6);

  private int haproxyPort;
  private final int[] nodePorts = new int[NODES];
  /** The bodies as the origin sends them, fetched from it directly before the cluster's requests. */
  private final Map<String, byte[]> originBodies = new HashMap<>();

  @AfterEach
  void stop() throws IOException {
    clients.shutdownNow();
    if (held != null) {
      held.close();
    }
    schools.forEach(Gateway::close);
    if (haproxy != null) {
      haproxy.close();
    }
    for (Process node : nodes) {
      node.destroyForcibly();
    }
    for (Process node : nodes) {
      try {
        node.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void eachPathOnOneNode_aKilledNodesPathsMoveToTheNextNode_noWrongBytes() throws Exception {
    Path binary = HaproxyProcess.require();
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    try {
      startCluster(binary);
      startSchools();
      for (String path : OBJECTS.keySet()) {
        try (TestHttpClient client = TestHttpClient.connect(origin.port())) {
          Response direct = client.get(path).read();
          assertThat(direct.status()).as(path).isEqualTo(200);
          originBodies.put(path, direct.body());
        }
      }
      // The origin counts a body's bytes as its writes complete, which may be just after the client
      // read them: wait for the last ones, so that none lands after the reset.
      long directBytes = OBJECTS.values().stream().mapToLong(Long::longValue).sum();
      await().atMost(Duration.ofSeconds(10)).until(() -> origin.stats().bytes() == directBytes);
      origin.stats().reset(); // idle: the counts below are the cluster's alone

      Map<String, String> owners = firstFetches();
      eachObjectOnItsOwnerAlone(owners);
      killedNodeUnderLoad(owners);
    } catch (Throwable t) {
      printLogs();
      throw t;
    }
  }

  private void startCluster(Path binary) throws IOException {
    for (int i = 0; i < NODES; i++) {
      nodePorts[i] = FreePorts.loopback();
    }
    int[] adminPorts = new int[NODES];
    for (int i = 0; i < NODES; i++) {
      adminPorts[i] = FreePorts.loopback();
      Path dir = Files.createDirectories(work.resolve(node(i)));
      Path log = dir.resolve("output.log");
      logs.add(log);
      // The shipped file as it is: only its environment variables differ from a real node's. A small
      // memory tier, so that most slices are served from the disk tier, as on a loaded node.
      Map<String, String> env = Map.of(
          "ACADEMIE_NODE_HOST", "127.0.0.1",
          "ACADEMIE_NODE_PORT", Integer.toString(nodePorts[i]),
          "ACADEMIE_NODE_VIA", "academie-" + node(i),
          "ACADEMIE_ADMIN_HOST", "127.0.0.1",
          "ACADEMIE_ADMIN_PORT", Integer.toString(adminPorts[i]),
          "ACADEMIE_ORIGIN_URL", origin.baseUri().toString(),
          // Room for every object in memory: the search for a held response starts 48 MiB fetches
          // on every node, and in a small tier they would evict a path before its slice file is
          // written (under CI's load), which would then be fetched again and miscounted as moved.
          "ACADEMIE_MEMORY_MAX", "768MiB",
          "ACADEMIE_DISK_PATH", dir.resolve("disk").toString(),
          "ACADEMIE_DISK_MAX", "1GiB");
      nodes.add(ChildGateway.launch(NODE_CONFIG, env, log)); // the three JVMs start side by side
    }
    for (int i = 0; i < NODES; i++) {
      ChildGateway.awaitListening(nodes.get(i), nodePorts[i]);
      ChildGateway.awaitListening(nodes.get(i), adminPorts[i]);
    }

    haproxyPort = FreePorts.loopback();
    int statsPort = FreePorts.loopback();
    Map<String, String> env = new HashMap<>();
    env.put("ACADEMIE_LISTEN", "127.0.0.1:" + haproxyPort);
    env.put("ACADEMIE_STATS", "127.0.0.1:" + statsPort);
    for (int i = 0; i < NODES; i++) {
      env.put("ACADEMIE_NODE" + (i + 1), "127.0.0.1:" + nodePorts[i]);
      env.put("ACADEMIE_NODE" + (i + 1) + "_ADMIN", Integer.toString(adminPorts[i]));
    }
    Path log = work.resolve("haproxy.log");
    logs.add(log);
    haproxy = HaproxyProcess.start(binary, HAPROXY_CFG, env, haproxyPort, statsPort, log);
    // Servers start UP (no "init-state" in the file); wait for a first good check of each anyway.
    await().atMost(Duration.ofSeconds(10)).until(() -> haproxy.serverStatus("nodes").values().stream()
        .filter("UP"::equals).count() == NODES);
  }

  /**
   * Two school gateways in process, each with the cluster as its {@code cloud} origin's parent, the
   * origin itself as the fallback.
   */
  private void startSchools() {
    for (String name : List.of("school-a", "school-b")) {
      schools.add(TestGateways.start(origin.baseUri(), """
          server: { via: %1$s }
          cache: { name: %1$s }
          origins:
            - name: cloud
              url: %2$s
              parents: ["http://127.0.0.1:%3$d"]
              paths: ["/"]
              connect-timeout: 2s
              response-timeout: 10s
              idle-timeout: 10s
          """.formatted(name, origin.baseUri(), haproxyPort), Clock.systemUTC()));
    }
  }

  /** Where client {@code n} sends its requests: school A, school B or HAProxy itself, in turn. */
  private int entry(int n) {
    return switch (n % 3) {
      case 0 -> schools.get(0).port();
      case 1 -> schools.get(1).port();
      default -> haproxyPort;
    };
  }

  /**
   * (a) Every object fetched by several clients at once, through each school and HAProxy itself, whole and (the large ones)
   * in ranges: the origin's bytes, each object served by one node, each byte of it sent by the
   * origin once for the whole tree (the schools and the cluster). Returns each path's node.
   */
  private Map<String, String> firstFetches() throws Exception {
    Map<String, Set<String>> servedBy = new ConcurrentHashMap<>();
    List<Future<?>> fetches = new ArrayList<>();
    for (String path : OBJECTS.keySet()) {
      long size = OBJECTS.get(path);
      List<String> ranges = new ArrayList<>(Arrays.asList(null, null, null));
      if (size > MIB) {
        ranges.add((MIB - 1000) + "-" + (2 * MIB + 1000)); // across two slice boundaries
        ranges.add("-100000"); // the last bytes: the size must be known first
      }
      for (int n = 0; n < ranges.size(); n++) {
        String range = ranges.get(n);
        int port = entry(n);
        fetches.add(clients.submit(() -> {
          Response r = fetch(port, path, range);
          assertThat(r.status()).as("%s %s", path, range).isEqualTo(range == null ? 200 : 206);
          assertThat(r.complete()).as("%s %s", path, range).isTrue();
          assertThat(r.sha256()).as("%s %s", path, range).isEqualTo(expectedDigest(path, range));
          // The node's Via entry comes first; a school adds its own after it.
          servedBy.computeIfAbsent(path, p -> ConcurrentHashMap.newKeySet()).add(r.headers().get("via").get(0));
          String status = r.header("Cache-Status");
          if (port != haproxyPort && status.contains("; fwd=miss")) {
            // A school's miss went through the tier: its entry follows the node's (RFC 9211). (A
            // school's partial answer, of slices another client's probe brought, is its own.)
            assertThat(status).as("through the tier, the school's entry last: %s", path)
                .startsWith("academie; ").contains(", school-");
          }
          return null;
        }));
      }
    }
    for (Future<?> fetch : fetches) {
      fetch.get(30, TimeUnit.SECONDS);
    }

    // Bytes are counted as the origin's writes complete, which may trail the last read by an instant.
    long once = OBJECTS.values().stream().mapToLong(Long::longValue).sum();
    await().atMost(Duration.ofSeconds(10)).until(() -> origin.stats().bytes() >= once);
    Map<String, String> owners = new LinkedHashMap<>();
    for (String path : OBJECTS.keySet()) {
      assertThat(servedBy.get(path)).as("the nodes that served %s", path).hasSize(1);
      String via = servedBy.get(path).iterator().next();
      assertThat(via).as(path).startsWith("1.1 academie-node");
      owners.put(path, via.substring("1.1 academie-".length()));
      assertThat(origin.stats().bytes(path)).as("origin bytes of %s (%s requests: %s)", path,
          origin.stats().requests(path), origin.stats().rangeHeaders(path)).isEqualTo(OBJECTS.get(path));
      assertThat(origin.stats().bytesSentMoreThanOnce(path)).as(path).isZero();
    }
    // 30 paths on a consistent-hash ring of 3 nodes: each node gets some.
    assertThat(new TreeSet<>(owners.values())).as("owners %s", owners).hasSize(NODES);
    return owners;
  }

  /**
   * (b) Asked again through HAProxy, each object is a hit on its node; asked directly with
   * only-if-cached, its node has it and the two others do not.
   */
  private void eachObjectOnItsOwnerAlone(Map<String, String> owners) throws IOException {
    long originRequests = origin.stats().requests();
    for (String path : OBJECTS.keySet()) {
      Response again = fetch(path, null);
      assertThat(again.sha256()).as(path).isEqualTo(expectedDigest(path, null));
      assertThat(again.header("Via")).as(path).isEqualTo("1.1 academie-" + owners.get(path));
      assertThat(again.header("Cache-Status")).as(path).startsWith("academie; hit");
      for (int i = 0; i < NODES; i++) {
        try (TestHttpClient client = TestHttpClient.connect(nodePorts[i])) {
          Response stored = client.get(path, "Cache-Control: only-if-cached").readDigestOnly();
          assertThat(stored.status()).as("%s only-if-cached on %s (owner %s)", path, node(i), owners.get(path))
              .isEqualTo(node(i).equals(owners.get(path)) ? 200 : 504);
        }
      }
    }
    assertThat(origin.stats().requests()).as("origin requests for the hits").isEqualTo(originRequests);
  }

  /**
   * (c) The node holding the most paths is killed (SIGKILL) while clients keep fetching every path
   * through HAProxy. No response ever has wrong bytes: a body is complete with the origin's digest,
   * or it is a 5xx or a cut connection. Once HAProxy marks the node down, its paths are served by the
   * survivors, each fetched from the origin once more by the one node that took it; the other paths
   * are not fetched again.
   */
  private void killedNodeUnderLoad(Map<String, String> owners) throws Exception {
    String victim = owners.values().stream().distinct()
        .max((a, b) -> Long.compare(count(owners, a), count(owners, b))).orElseThrow();
    List<String> paths = List.copyOf(OBJECTS.keySet());
    // A response the victim has begun and cannot finish before it dies: a client holds it after its
    // first bytes. A large object's, so that its rest cannot be in the socket buffers on the way.
    String heldPath = null;
    Head heldHead = null;
    for (int k = 0; held == null; k++) {
      assertThat(k).as("a path of %s among 30 tries", victim).isLessThan(30);
      String path = "/blobs/" + HELD_SIZE / MIB + "MiB/academie-held-" + k;
      TestHttpClient client = TestHttpClient.connect(haproxyPort);
      Head head = client.get(path).readStatusAndHeaders();
      if (head.status() == 200 && head.headers().get("via").equals(List.of("1.1 academie-" + victim))) {
        held = client;
        heldPath = path;
        heldHead = head;
      } else {
        client.close(); // another node's: a client gone mid-response, nothing more
      }
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger good = new AtomicInteger();
    AtomicInteger serverErrors = new AtomicInteger();
    AtomicInteger cuts = new AtomicInteger();
    List<String> wrong = new ArrayList<>();
    long loadEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<Future<?>> load = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client = c;
      load.add(clients.submit(() -> {
        // At most 300 requests and 30 s per client, whatever happens.
        int port = entry(client); // four clients: one through each school, two straight to HAProxy
        for (int n = 0; n < 300 && !stop.get() && System.nanoTime() < loadEnds; n++) {
          String path = paths.get((client * 7 + n) % paths.size());
          String range = OBJECTS.get(path) > MIB && n % 2 == 0 ? "1000000-2100000" : null;
          try {
            Response r = fetch(port, path, range);
            if (r.status() >= 500) {
              serverErrors.incrementAndGet();
            } else if (r.status() != (range == null ? 200 : 206)) {
              synchronized (wrong) {
                wrong.add(path + " " + range + ": status " + r.status());
              }
            } else if (!r.complete()) {
              cuts.incrementAndGet();
            } else if (!r.sha256().equals(expectedDigest(path, range))) {
              synchronized (wrong) {
                wrong.add(path + " " + range + ": wrong digest, via " + r.header("Via"));
              }
            } else {
              good.incrementAndGet();
            }
          } catch (IOException e) {
            cuts.incrementAndGet(); // refused, reset or closed before the end of the head
          }
        }
        return null;
      }));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> good.get() >= 40);
    Process killed = nodes.get(Integer.parseInt(victim.substring("node".length())) - 1);
    killed.destroyForcibly(); // SIGKILL: no graceful stop, connections reset by the kernel
    assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
    int goodAtKill = good.get();
    long heldCut;
    try (TestHttpClient client = held) {
      // HAProxy never retries a response that has started: the client gets a correct beginning, then
      // the connection closes before the end.
      Response cut = client.readBodyDigestOnly(heldHead);
      assertThat(cut.complete()).as("the held response, cut at %d bytes", cut.bodyLength()).isFalse();
      assertThat(cut.bodyLength()).isLessThan(HELD_SIZE);
      assertThat(cut.sha256()).as("the first %d bytes of %s", cut.bodyLength(), heldPath)
          .isEqualTo(ExpectedContent.sha256(heldPath, cut.bodyLength()));
      heldCut = cut.bodyLength();
    }

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> haproxy.serverStatus("nodes").get(victim), status -> status.startsWith("DOWN"));
    await().atMost(Duration.ofSeconds(10)).until(() -> good.get() >= goodAtKill + 40);
    stop.set(true);
    for (Future<?> client : load) {
      client.get(30, TimeUnit.SECONDS);
    }
    System.err.printf("HaproxyClusterTest: %s killed under load: %d good responses (%d after the kill),"
        + " %d 5xx, %d cut; the held response cut after %d bytes%n", victim, good.get(), good.get() - goodAtKill,
        serverErrors.get(), cuts.get(), heldCut);
    assertThat(wrong).as("responses with wrong bytes or status").isEmpty();

    for (String path : paths) {
      long size = OBJECTS.get(path);
      Response first = fetch(path, null); // completes what the load may have fetched in part
      assertThat(first.status()).as(path).isEqualTo(200);
      assertThat(first.sha256()).as(path).isEqualTo(expectedDigest(path, null));
      Response again = fetch(path, null);
      assertThat(again.header("Cache-Status")).as(path).startsWith("academie; hit");
      if (owners.get(path).equals(victim)) {
        assertThat(again.header("Via")).as(path).isNotEqualTo("1.1 academie-" + victim);
        assertThat(origin.stats().bytes(path)).as("origin bytes of %s, moved from %s to %s (%s)", path, victim,
            again.header("Via"), origin.stats().rangeHeaders(path)).isEqualTo(2 * size);
      } else {
        assertThat(again.header("Via")).as(path).isEqualTo("1.1 academie-" + owners.get(path));
        assertThat(origin.stats().bytes(path)).as("origin bytes of %s, still on its node", path).isEqualTo(size);
      }
    }
  }

  private Response fetch(String path, String range) throws IOException {
    return fetch(haproxyPort, path, range);
  }

  private Response fetch(int port, String path, String range) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(port)) {
      return range == null ? client.get(path).readDigestOnly()
          : client.get(path, "Range: bytes=" + range).readDigestOnly();
    }
  }

  /** The digest of the origin's body of {@code path}, or of {@code range} of it ("a-b" or "-n"). */
  private String expectedDigest(String path, String range) {
    byte[] body = originBodies.get(path);
    if (range == null) {
      return TestHttpClient.sha256(body);
    }
    String[] bounds = range.split("-");
    int start = bounds[0].isEmpty() ? body.length - Integer.parseInt(bounds[1]) : Integer.parseInt(bounds[0]);
    int end = bounds[0].isEmpty() ? body.length : Math.min(body.length, Integer.parseInt(bounds[1]) + 1);
    return TestHttpClient.sha256(Arrays.copyOfRange(body, start, end));
  }

  private static long count(Map<String, String> owners, String node) {
    return owners.values().stream().filter(node::equals).count();
  }

  private static String node(int index) {
    return "node" + (index + 1);
  }

  private static Map<String, Long> objects() {
    Map<String, Long> objects = new LinkedHashMap<>();
    for (int i = 0; i < 24; i++) {
      long kib = 1 + (i * 37L) % 300;
      objects.put("/blobs/" + kib + "KiB/academie-" + i, kib * 1024);
    }
    for (int i = 0; i < 6; i++) {
      long mib = 3 + i % 3;
      objects.put("/blobs/" + mib + "MiB/academie-large-" + i, mib * MIB);
    }
    return objects;
  }

  private void printLogs() {
    for (Path log : logs) {
      try (Stream<String> lines = Files.lines(log)) {
        List<String> all = lines.toList();
        System.err.println("===== " + work.relativize(log) + " (last 200 of " + all.size() + " lines) =====");
        all.subList(Math.max(0, all.size() - 200), all.size()).forEach(System.err::println);
      } catch (IOException | RuntimeException e) {
        System.err.println("===== " + log + ": " + e);
      }
    }
  }
}
