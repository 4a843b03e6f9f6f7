package fr.acclermont.gateway.prefetch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads what to prefetch: the entries of a list, the references of a manifest, and each one routed
 * and keyed as a client's request for it. Thread-safe.
 *
 * <p>A list is UTF-8 text, one entry a line: a path with its query ({@code /books/maths-6e/book.pdf}),
 * or an absolute URL whose host is a configured origin's, read as a client's absolute-form request
 * (the origin's host, the gateway's path); blank lines and lines starting with {@code #} are
 * skipped. An entry whose path's last segment is {@code manifest.json} is a manifest.
 *
 * <p>A manifest is the demo origin's JSON: {@code {"id", "title", "index", "pdf": {"path", ...},
 * "video": {"path", ...} | null, "assets": [{"path", ...}, ...]}}. Its {@code index}, the
 * {@code path} of {@code pdf} and {@code video} and of each asset (or an asset given as a plain
 * string) are prefetched after it: paths as a client asks for them, absolute URLs of a configured
 * origin, or references relative to the manifest's own path.
 */
final class Targets {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST_NAME = "/manifest.json";

  /** The routes now: a reload may have replaced them since the prefetch started. */
  private final Supplier<OriginRouter> router;
  private final Function<String, CacheKey> keys;

  /**
   * @param router the router of the configuration now, asked at each entry
   * @param keys the key of a client's GET of a path or URL; throws IllegalArgumentException saying why not
   */
  Targets(Supplier<OriginRouter> router, Function<String, CacheKey> keys) {
    this.router = requireNonNull(router, "router");
    this.keys = requireNonNull(keys, "keys");
  }

  /**
   * The target of {@code entry} (a path or an absolute URL) of {@code list}.
   *
   * @throws IllegalArgumentException if no client could ask for it through this gateway, saying why
   */
  PrefetchTarget resolve(String entry, String list) {
    CacheKey key = keys.apply(entry);
    OriginRoute route = router.get().routes().stream().filter(r -> r.name().equals(key.origin())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("url: no origin " + key.origin()));
    return new PrefetchTarget(route, key.pathAndQuery(), isManifest(key.pathAndQuery()), list);
  }

  /** The entries of a list's text: its lines, stripped, but blank ones and comments. */
  static List<String> entries(String text) {
    List<String> entries = new ArrayList<>();
    for (String line : text.split("\r?\n", -1)) {
      String entry = line.strip();
      if (!entry.isEmpty() && !entry.startsWith("#")) {
        entries.add(entry);
      }
    }
    return entries;
  }

  /** The entries of a list file or document's bytes (UTF-8). */
  static List<String> entries(byte[] text) {
    return entries(new String(text, StandardCharsets.UTF_8));
  }

  /**
   * The references of a manifest (index, PDF, video, assets, in this order), each as an entry of a
   * list: relative ones resolved against the manifest's target {@code manifestTarget}.
   *
   * @throws IOException if {@code json} is not a manifest
   */
  static List<String> references(byte[] json, String manifestTarget) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException("not a JSON object");
    }
    List<String> references = new ArrayList<>();
    addText(references, root.get("index"));
    addPath(references, root.get("pdf"));
    addPath(references, root.get("video"));
    JsonNode assets = root.get("assets");
    if (assets != null && assets.isArray()) {
      for (JsonNode asset : assets) {
        if (asset.isTextual()) {
          addText(references, asset);
        } else {
          addPath(references, asset);
        }
      }
    }
    if (references.isEmpty()) {
      throw new IOException("no index, pdf, video or assets with a path");
    }
    URI base = URI.create("http://manifest" + manifestTarget);
    List<String> resolved = new ArrayList<>(references.size());
    for (String reference : references) {
      resolved.add(resolve(base, reference));
    }
    return resolved;
  }

  private static void addPath(List<String> references, JsonNode node) {
    if (node != null && node.isObject()) {
      addText(references, node.get("path"));
    }
  }

  private static void addText(List<String> references, JsonNode node) {
    if (node != null && node.isTextual() && !node.textValue().isBlank()) {
      references.add(node.textValue().strip());
    }
  }

  private static String resolve(URI base, String reference) {
    String lower = reference.toLowerCase(Locale.ROOT);
    if (reference.startsWith("/") || lower.startsWith("http://") || lower.startsWith("https://")) {
      return reference;
    }
    try {
      URI resolved = base.resolve(reference);
      return resolved.getRawPath() + (resolved.getRawQuery() == null ? "" : "?" + resolved.getRawQuery());
    } catch (IllegalArgumentException e) {
      return reference; // refused with its reason when resolved as an entry
    }
  }

  private static boolean isManifest(String target) {
    int query = target.indexOf('?');
    return (query < 0 ? target : target.substring(0, query)).endsWith(MANIFEST_NAME);
  }
}
