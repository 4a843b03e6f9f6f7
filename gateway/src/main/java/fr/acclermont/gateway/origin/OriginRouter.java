package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the origin of a request by the longest configured path prefix that matches. Only
 * configured origins are reachable: no match means 404, never a connection elsewhere.
 */
public final class OriginRouter {

  private final List<Map.Entry<String, OriginRoute>> prefixes;
  private final List<OriginRoute> routes;

  /** Builds the router from each route's configured prefixes. */
  public OriginRouter(List<OriginRoute> routes) {
    this.routes = List.copyOf(requireNonNull(routes, "routes"));
    List<Map.Entry<String, OriginRoute>> all = new ArrayList<>();
    for (OriginRoute route : routes) {
      for (String prefix : route.config().paths()) {
        all.add(Map.entry(prefix, route));
      }
    }
    all.sort(Comparator.comparingInt((Map.Entry<String, OriginRoute> e) -> e.getKey().length()).reversed());
    this.prefixes = List.copyOf(all);
  }

  /** The route for an origin-form path, or null when no prefix matches. */
  public @Nullable OriginRoute route(String path) {
    for (int i = 0; i < prefixes.size(); i++) { // indexed: no iterator per request
      Map.Entry<String, OriginRoute> entry = prefixes.get(i);
      if (path.startsWith(entry.getKey())) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** Whether {@code authority} (host[:port]) names one of the configured origins. */
  public boolean isOriginAuthority(String authority) {
    for (OriginRoute route : routes) {
      if (route.authority().equalsIgnoreCase(authority)
          || (route.port() == route.defaultPort() && (route.host().equalsIgnoreCase(authority)
              || (route.host() + ":" + route.defaultPort()).equalsIgnoreCase(authority)))) {
        return true;
      }
    }
    return false;
  }

  /** The route of the origin named {@code name}, or null. */
  public @Nullable OriginRoute named(String name) {
    for (OriginRoute route : routes) {
      if (route.name().equals(name)) {
        return route;
      }
    }
    return null;
  }

  /** Every route, in configuration order. */
  public List<OriginRoute> routes() {
    return routes;
  }
}
