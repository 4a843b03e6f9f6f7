package fr.acclermont.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.DemoContent;
import fr.acclermont.gateway.demo.SyntheticContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class VerifierTest {

  private static final String PATH = "/books/maths-6e/book.pdf";
  private static final long SIZE = DemoContent.of(1).length(PATH);

  /** The bytes the demo origin serves for a range of a path. */
  private static byte[] served(String path, long offset, int length, long seed) {
    ByteBuf buf = Unpooled.buffer(length);
    try {
      assertThat(DemoContent.of(seed).fill(buf, path, offset, length)).isTrue();
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void synthetic_sameContent_matchesAtAnyOffset() {
    SyntheticContentVerifier verifier = new SyntheticContentVerifier(PATH, SIZE, 1);
    for (long offset : new long[] {0, 1_000_003, SIZE - 150_000}) {
      assertThat(matches(verifier, served(PATH, offset, 150_000, 1), offset)).as("offset %d", offset)
          .isTrue();
    }
  }

  @Test
  void synthetic_anotherPathsContent_doesNotMatch() {
    SyntheticContentVerifier verifier = new SyntheticContentVerifier(PATH, SIZE, 1);
    assertThat(matches(verifier, SyntheticContent.bytes("/books/svt-3e/book.pdf", 4096, 65536, 1), 4096)).isFalse();
  }

  @Test
  void synthetic_anotherSeed_doesNotMatch() {
    SyntheticContentVerifier verifier = new SyntheticContentVerifier(PATH, SIZE, 1);
    assertThat(matches(verifier, SyntheticContent.bytes(PATH, 4096, 65536, 2), 4096)).isFalse();
  }

  @Test
  void synthetic_oneFlippedByte_doesNotMatch() {
    SyntheticContentVerifier verifier = new SyntheticContentVerifier(PATH, SIZE, 1);
    byte[] bytes = served(PATH, 4096, 65536, 1);
    bytes[40_000] ^= 1;
    assertThat(matches(verifier, bytes, 4096)).isFalse();
  }

  @Test
  void synthetic_signatureAtEitherEnd_isCompared() {
    SyntheticContentVerifier verifier = new SyntheticContentVerifier(PATH, SIZE, 1);
    byte[] head = served(PATH, 0, 4096, 1);
    byte[] tail = served(PATH, SIZE - 4096, 4096, 1);
    assertThat(new String(head, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.7");
    assertThat(matches(verifier, head, 0)).isTrue();
    assertThat(matches(verifier, tail, SIZE - 4096)).isTrue();
    head[3] ^= 1;
    assertThat(matches(verifier, head, 0)).isFalse();
  }

  @Test
  void synthetic_pastTheEnd_doesNotMatch() {
    SyntheticContentVerifier verifier = new SyntheticContentVerifier(PATH, 1000, 1);
    assertThat(matches(verifier, SyntheticContent.bytes(PATH, 900, 200, 1), 900)).isFalse();
  }

  @Test
  void knownBytes_slices_matchAtTheirOffsets() {
    KnownBytesVerifier verifier = new KnownBytesVerifier(new byte[] {1, 2, 3, 4});
    assertThat(matches(verifier, new byte[] {3, 4}, 2)).isTrue();
    assertThat(matches(verifier, new byte[] {3, 5}, 2)).isFalse();
    assertThat(matches(verifier, new byte[] {4, 5}, 3)).isFalse();
  }

  private static boolean matches(BodyVerifier verifier, byte[] bytes, long offset) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return verifier.matches(buf, offset);
    } finally {
      buf.release();
    }
  }
}
