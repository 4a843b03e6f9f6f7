package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.util.Arrays;

/**
 * The body checks of {@link SlicedStreamingTest} and {@link SlicedRangesTest}: a whole response
 * against its digest, and a part of one against the object's bytes, saying where wrong bytes came
 * from. The objects are the demo origin's, in slices of {@link #SLICE} bytes.
 */
final class SlicedBodies {

  static final long MIB = 1L << 20;
  static final long SLICE = MIB;

  private SlicedBodies() {
  }

  static void assertWhole(Response r, long length, String sha256) {
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.complete()).as("complete").isTrue();
    assertThat(r.bodyLength()).isEqualTo(length);
    assertThat(r.sha256()).isEqualTo(sha256);
  }

  /** For a wrong body: zeros, or the object's bytes at the same place of another slice, or unknown. */
  private static String whereFrom(byte[] body, String path, long offset, int version) {
    int probe = Math.min(body.length, 4096);
    boolean zeros = true;
    for (int i = 0; i < probe && zeros; i++) {
      zeros = body[i] == 0;
    }
    if (zeros) {
      return "the first " + probe + " bytes are zeros";
    }
    long length = 200 * MIB;
    byte[] head = Arrays.copyOf(body, probe);
    for (long at = offset % SLICE; at + probe <= length; at += SLICE) {
      if (Arrays.equals(head, ExpectedContent.bytes(path, at, probe, version))) {
        return "they are the object's bytes at " + at + " (slice " + at / SLICE + ")";
      }
    }
    return "not the object's bytes at the same place of any slice";
  }

  /** Compares digests, so a mismatch prints two lines rather than two byte arrays. */
  static void assertBytes(Response r, String path, long offset, int length, int version, String what) {
    assertThat(r.bodyLength()).as(what + ": length").isEqualTo(length);
    byte[] expected = ExpectedContent.bytes(path, offset, length, version);
    if (!Arrays.equals(r.body(), expected)) {
      assertThat(TestHttpClient.sha256(r.body())).as(what + ": bytes (first difference at %d; %s; Cache-Status %s)",
          Arrays.mismatch(r.body(), expected), whereFrom(r.body(), path, offset, version),
          r.header("Cache-Status")).isEqualTo(TestHttpClient.sha256(expected));
    }
  }
}
