package fr.acclermont.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The comparison of signatures: equal only when every byte is, whatever byte differs. */
class SignatureComparatorTest {

  private static byte[] signature() {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7 + 3);
    }
    return bytes;
  }

  @Test
  void sameBytes_equal() {
    assertThat(SignatureComparator.same(signature(), signature())).isTrue();
  }

  @Test
  void firstByteDiffers_notEqual() {
    byte[] forged = signature();
    forged[0] ^= 1;
    assertThat(SignatureComparator.same(signature(), forged)).isFalse();
  }

  @Test
  void lastByteDiffers_notEqual() {
    byte[] forged = signature();
    forged[31] ^= (byte) 0x80;
    assertThat(SignatureComparator.same(signature(), forged)).isFalse();
  }

  @Test
  void prefixOfTheSignature_notEqual() {
    byte[] prefix = java.util.Arrays.copyOf(signature(), 16);
    assertThat(SignatureComparator.same(signature(), prefix)).isFalse();
    assertThat(SignatureComparator.same(signature(), new byte[0])).isFalse();
  }

  @Test
  void signedUrls_compareThroughIt() throws Exception {
    // The verifier must not compare signatures any other way (Arrays.equals stops at the first difference).
    String source = java.nio.file.Files.readString(java.nio.file.Path.of(
        "src/main/java/fr/acclermont/gateway/security/SignedUrls.java"));
    assertThat(source).contains("SignatureComparator.same(").doesNotContain("Arrays.equals");
  }
}
