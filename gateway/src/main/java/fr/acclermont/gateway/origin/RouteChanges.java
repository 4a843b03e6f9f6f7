package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.OriginConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How the running routes become those of a reloaded configuration. An origin whose name, URL and
 * TLS stay keeps its route, updated in place: its pool, its health and the fetches under way go on
 * (a changed timeout applies at an exchange's next wait). A new origin, or one whose URL or TLS
 * changed, gets a new route; the routes no origin keeps are retired (their exchanges under way
 * finish). The cache keys name origins, not routes: a replaced origin keeps what is stored.
 *
 * <p>Planned first, applied after: building the new routes (an https origin's TLS context reads
 * its trust store, and may fail) changes nothing running; {@link #apply} cannot fail.
 */
public final class RouteChanges {

  private final List<OriginRoute> routes;
  private final List<OriginRoute> updated;
  private final List<OriginConfig> updates;
  private final List<OriginRoute> added;
  private final List<OriginRoute> retired;

  private RouteChanges(List<OriginRoute> routes, List<OriginRoute> updated, List<OriginConfig> updates,
      List<OriginRoute> added, List<OriginRoute> retired) {
    this.routes = routes;
    this.updated = updated;
    this.updates = updates;
    this.added = added;
    this.retired = retired;
  }

  /**
   * Plans the change from {@code running} to the origins {@code next}, in their order.
   *
   * @param create builds the route of a new or replaced origin; what it throws is thrown here
   *     (nothing running is changed then)
   */
  public static RouteChanges plan(OriginRouter running, List<OriginConfig> next,
      Function<OriginConfig, OriginRoute> create) {
    requireNonNull(running, "running");
    requireNonNull(next, "next");
    requireNonNull(create, "create");
    List<OriginRoute> routes = new ArrayList<>();
    List<OriginRoute> updated = new ArrayList<>();
    List<OriginConfig> updates = new ArrayList<>();
    List<OriginRoute> added = new ArrayList<>();
    for (OriginConfig origin : next) {
      OriginRoute kept = running.named(origin.name());
      if (kept != null && kept.canUpdateTo(origin)) {
        routes.add(kept);
        if (!kept.config().equals(origin)) {
          updated.add(kept);
          updates.add(origin);
        }
      } else {
        OriginRoute route = create.apply(origin);
        routes.add(route);
        added.add(route);
      }
    }
    List<OriginRoute> retired = running.routes().stream().filter(r -> !routes.contains(r)).toList();
    return new RouteChanges(List.copyOf(routes), List.copyOf(updated), List.copyOf(updates), List.copyOf(added),
        retired);
  }

  /** Updates the kept routes in place and returns the router of the new routes. */
  public OriginRouter apply() {
    for (int i = 0; i < updated.size(); i++) {
      updated.get(i).update(updates.get(i));
    }
    return new OriginRouter(routes);
  }

  /** The routes built for new or replaced origins: they need their probes and meters. */
  public List<OriginRoute> added() {
    return added;
  }

  /** The routes of origins removed or replaced: to {@link OriginRoute#retire} once out of the router. */
  public List<OriginRoute> retired() {
    return retired;
  }

  /** Whether anything changes. */
  public boolean any() {
    return !updated.isEmpty() || !added.isEmpty() || !retired.isEmpty();
  }
}
