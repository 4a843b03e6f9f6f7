package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.demo.DemoContent;
import fr.acclermont.loadtest.client.BodyVerifier;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.SyntheticContentVerifier;

/**
 * The one object a scenario such as {@code cold-object} reads, as the demo origin serves it: a
 * blob ({@code /blobs/20MiB/NAME}) or any other resource of the catalog, whose every byte is known
 * from the catalog's seed.
 *
 * @param path its path, without query string
 * @param length its length in bytes
 * @param seed the seed of the target's catalog, which its content derives from
 */
record DemoObject(String path, long length, long seed) {

  DemoObject {
    requireNonNull(path, "path");
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
  }

  /**
   * Reads the seed from the target's catalog and the object's length from the demo content.
   *
   * @throws RunSetupException exit code 1 if the target serves no catalog; 2 if the demo origin
   *     serves nothing at {@code path}
   */
  static DemoObject resolve(LoadClient client, String path) throws RunSetupException, InterruptedException {
    long seed = TargetSetup.catalog(client).seed();
    long length = DemoContent.of(seed).length(path);
    if (length < 0) {
      throw new RunSetupException(Flags.BAD_FLAG, "--path: \"" + path + "\" is not served by the demo origin "
          + "(expected: /blobs/{size}/{name} such as /blobs/20MiB/x, or a book's file from /_origin/catalog)");
    }
    return new DemoObject(path, length, seed);
  }

  /** Returns a verifier of the object's bytes at any offset. */
  BodyVerifier verifier() {
    return new SyntheticContentVerifier(path, length, seed);
  }
}
