package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acclermont.gateway.config.OriginConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * How a reload turns the running routes into those of the new origins ({@link RouteChanges}): real
 * {@link OriginRoute}s whose connector is never called (planning and applying never connect).
 */
class RouteChangesTest {

  private static final OriginConnectionPool.Connector NEVER = (upstream, loop) -> {
    throw new AssertionError("route changes never connect");
  };

  private final List<OriginConfig> created = new ArrayList<>();
  /** Builds the routes of new or replaced origins, recording which. */
  private final Function<OriginConfig, OriginRoute> create = origin -> {
    created.add(origin);
    return new OriginRoute(origin, NEVER);
  };

  private final OriginConfig cloud = origin("cloud", "http://cloud.example", Duration.ofSeconds(30), "/books/");
  private final OriginConfig press = origin("press", "http://press.example", Duration.ofSeconds(30), "/press/");
  private final OriginRoute cloudRoute = new OriginRoute(cloud, NEVER);
  private final OriginRoute pressRoute = new OriginRoute(press, NEVER);
  private final OriginRouter running = new OriginRouter(List.of(cloudRoute, pressRoute));

  @Test
  void plan_sameOrigins_nothingChanges_sameRoutes() {
    RouteChanges changes = RouteChanges.plan(running, List.of(cloud, press), create);

    assertThat(changes.any()).isFalse();
    OriginRouter router = changes.apply();
    assertThat(router.routes()).containsExactly(cloudRoute, pressRoute);
    assertThat(created).isEmpty();
  }

  @Test
  void plan_timeoutChanged_sameRouteUpdatedInPlace_nothingAddedOrRetired() {
    OriginConfig slower = origin("cloud", "http://cloud.example", Duration.ofSeconds(1), "/books/");

    RouteChanges changes = RouteChanges.plan(running, List.of(slower, press), create);

    assertThat(changes.any()).isTrue();
    assertThat(changes.added()).isEmpty();
    assertThat(changes.retired()).isEmpty();
    assertThat(cloudRoute.config()).as("planning changes nothing running").isEqualTo(cloud);
    OriginRouter router = changes.apply();
    assertThat(router.named("cloud")).isSameAs(cloudRoute);
    assertThat(cloudRoute.config()).isEqualTo(slower);
    assertThat(cloudRoute.config().responseTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(created).isEmpty();
  }

  @Test
  void plan_urlChanged_newRouteSameName_oldOneRetired() {
    OriginConfig moved = origin("cloud", "http://cloud2.example", Duration.ofSeconds(30), "/books/");

    RouteChanges changes = RouteChanges.plan(running, List.of(moved, press), create);
    OriginRouter router = changes.apply();

    OriginRoute replacement = router.named("cloud");
    assertThat(replacement).isNotSameAs(cloudRoute);
    assertThat(replacement.host()).isEqualTo("cloud2.example");
    assertThat(changes.added()).containsExactly(replacement);
    assertThat(changes.retired()).containsExactly(cloudRoute);
    assertThat(router.route("/books/a")).isSameAs(replacement);
    assertThat(router.named("press")).isSameAs(pressRoute);
    assertThat(cloudRoute.config()).as("the retired route keeps its configuration").isEqualTo(cloud);
    assertThat(created).containsExactly(moved);
  }

  @Test
  void plan_originRemoved_retired_itsPathsNoLongerRouted() {
    RouteChanges changes = RouteChanges.plan(running, List.of(cloud), create);
    OriginRouter router = changes.apply();

    assertThat(changes.retired()).containsExactly(pressRoute);
    assertThat(changes.added()).isEmpty();
    assertThat(router.routes()).containsExactly(cloudRoute);
    assertThat(router.route("/press/a")).isNull();
    assertThat(router.named("press")).isNull();
  }

  @Test
  void plan_originAdded_added_routedInTheGivenOrder() {
    OriginConfig media = origin("media", "http://media.example:8080", Duration.ofSeconds(30), "/media/");

    RouteChanges changes = RouteChanges.plan(running, List.of(media, cloud, press), create);
    OriginRouter router = changes.apply();

    OriginRoute added = router.named("media");
    assertThat(changes.added()).containsExactly(added);
    assertThat(changes.retired()).isEmpty();
    assertThat(router.routes()).containsExactly(added, cloudRoute, pressRoute);
    assertThat(router.route("/media/x")).isSameAs(added);
    assertThat(created).containsExactly(media);
  }

  @Test
  void plan_createThrows_exceptionPropagates_runningRoutesUntouched() {
    OriginConfig slower = origin("cloud", "http://cloud.example", Duration.ofSeconds(1), "/books/");
    OriginConfig broken = origin("media", "http://media.example", Duration.ofSeconds(30), "/media/");
    IllegalStateException failure = new IllegalStateException("cannot read the trust store");

    assertThatThrownBy(() -> RouteChanges.plan(running, List.of(slower, broken), origin -> {
      throw failure;
    })).isSameAs(failure);

    assertThat(cloudRoute.config()).isEqualTo(cloud);
    assertThat(pressRoute.config()).isEqualTo(press);
    assertThat(running.routes()).containsExactly(cloudRoute, pressRoute);
    assertThat(running.route("/books/a")).isSameAs(cloudRoute);
  }

  @Test
  void plan_pathsChanged_sameRoute_newPrefixRoutedToIt() {
    OriginConfig morePaths = origin("cloud", "http://cloud.example", Duration.ofSeconds(30), "/books/", "/manuels/");

    RouteChanges changes = RouteChanges.plan(running, List.of(morePaths, press), create);
    OriginRouter router = changes.apply();

    assertThat(changes.added()).isEmpty();
    assertThat(changes.retired()).isEmpty();
    assertThat(router.route("/manuels/a")).isSameAs(cloudRoute);
    assertThat(router.route("/books/a")).isSameAs(cloudRoute);
    assertThat(running.route("/manuels/a")).as("the old router keeps its prefixes").isNull();
  }

  @Test
  void plan_maxFetchesChanged_sameRoute_limiterResized() {
    OriginConfig fewer = new OriginConfig("cloud", URI.create("http://cloud.example"), List.of("/books/"),
        Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30), 4, 1);
    List<String> started = new ArrayList<>();
    cloudRoute.limiter().submit(task("d1", started), FetchKind.DEMAND);
    cloudRoute.limiter().submit(task("d2", started), FetchKind.DEMAND);

    RouteChanges.plan(running, List.of(fewer, press), create).apply();
    cloudRoute.limiter().done(FetchKind.DEMAND);
    cloudRoute.limiter().submit(task("d3", started), FetchKind.DEMAND);

    assertThat(cloudRoute.config().maxFetches()).isEqualTo(1);
    assertThat(started).as("one demand fetch still runs: no room under the new bound").containsExactly("d1", "d2");
    cloudRoute.limiter().done(FetchKind.DEMAND);
    assertThat(started).containsExactly("d1", "d2", "d3");
  }

  @Test
  void retire_idleConnectionReleased_closedNotKept() {
    EmbeddedChannel kept = new EmbeddedChannel();
    EmbeddedChannel afterRetire = new EmbeddedChannel();
    pressRoute.origin().pool().release(kept);
    assertThat(pressRoute.origin().pool().idleCount(kept.eventLoop())).isEqualTo(1);

    RouteChanges changes = RouteChanges.plan(running, List.of(cloud), create);
    changes.apply();
    changes.retired().forEach(OriginRoute::retire);
    kept.runPendingTasks();
    pressRoute.origin().pool().release(afterRetire);

    assertThat(kept.isOpen()).as("the idle connection is closed").isFalse();
    assertThat(afterRetire.isOpen()).as("a connection whose exchange ends is closed").isFalse();
    assertThat(pressRoute.origin().pool().idleCount(afterRetire.eventLoop())).isZero();
  }

  private static OriginConfig origin(String name, String url, Duration responseTimeout, String... paths) {
    return new OriginConfig(name, URI.create(url), List.of(paths), Duration.ofSeconds(1), responseTimeout,
        Duration.ofSeconds(30), 4, 2);
  }

  private static FetchLimiter.Task task(String name, List<String> started) {
    return new FetchLimiter.Task() {
      @Override
      public void start() {
        started.add(name);
      }

      @Override
      public void cancel() {
        throw new AssertionError("cancelled: " + name);
      }
    };
  }
}
