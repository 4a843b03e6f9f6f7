package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.ClientOptions;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.client.SimpleResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * What is read from the target before the clock starts: the catalog, and the manifests of the
 * books to open. A target that cannot be reached, or that does not serve a catalog, stops the run
 * with exit code 1.
 */
final class TargetSetup {

  /**
   * Added to the manifest's URL when it is read for planning, so a caching target stores that copy
   * under another key and the measured round still starts cold.
   */
  static final String PLANNING_QUERY = "?loadtest=plan";

  private TargetSetup() {}

  /**
   * Starts the load client for {@code target}; exit code 1 when the target cannot be reached, 2
   * when the CA file of an https target holds no certificate.
   */
  static LoadClient startClient(Target target, java.time.Duration timeout) throws RunSetupException {
    try {
      return LoadClient.start(target, ClientOptions.defaults().withTimeout(timeout));
    } catch (java.io.UncheckedIOException e) {
      throw new RunSetupException(1, "cannot reach --target " + target + ": " + e.getCause().getMessage());
    } catch (IllegalArgumentException e) {
      throw new RunSetupException(Flags.BAD_FLAG, "--origin-ca: " + e.getMessage());
    }
  }

  /** Reads the catalog from {@code /_origin/catalog}. */
  static TargetCatalog catalog(LoadClient client) throws RunSetupException, InterruptedException {
    SimpleResponse response = get(client, TargetCatalog.PATH);
    try {
      return TargetCatalog.parse(response.body());
    } catch (IOException e) {
      throw new RunSetupException(1, "--target " + client.target() + ": " + TargetCatalog.PATH + " is not a catalog ("
          + e.getMessage() + ")");
    }
  }

  /** Reads a book's manifest. */
  static BookManifest manifest(LoadClient client, CatalogBook book) throws RunSetupException, InterruptedException {
    return manifest(client, book, null);
  }

  /** Reads a book's manifest, with a link when the students have links (a guarded manifest is 403 without). */
  static BookManifest manifest(LoadClient client, CatalogBook book, @Nullable StudentLinks links)
      throws RunSetupException, InterruptedException {
    String target = book.manifestPath() + PLANNING_QUERY;
    SimpleResponse response = get(client, links == null ? target : links.sign(target, "loadtest-plan"));
    try {
      return BookManifest.parse(response.body());
    } catch (IOException e) {
      throw new RunSetupException(1, "--target " + client.target() + ": " + book.manifestPath()
          + " is not a manifest (" + e.getMessage() + ")");
    }
  }

  private static SimpleResponse get(LoadClient client, String path) throws RunSetupException, InterruptedException {
    SimpleResponse response;
    try {
      response = client.control(client.target(), HttpMethod.GET, path).get();
    } catch (ExecutionException e) {
      throw new RunSetupException(1, "cannot reach --target " + client.target() + ": " + e.getCause().getMessage());
    }
    if (response.status() != 200) {
      throw new RunSetupException(1, "--target " + client.target() + ": GET " + path + " answered "
          + response.status() + " (expected: 200; does it serve the demo origin's catalog?)");
    }
    return response;
  }
}
