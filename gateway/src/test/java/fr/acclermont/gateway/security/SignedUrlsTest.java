package fr.acclermont.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.config.SigningKeyConfig;
import fr.acclermont.gateway.metrics.DenialReason;
import fr.acclermont.gateway.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed links: what is accepted, what is refused and why, and what is stored. */
class SignedUrlsTest {

  private static final byte[] OLD = "old-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEW = "new-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final long NOW = 1_800_000_000L;
  private static final String PDF = "/books/licensed/maths-6e/manuel.pdf";

  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(NOW));
  private final SignedUrls verifier = new SignedUrls(
      List.of(new SigningKeyConfig("2026-09", OLD), new SigningKeyConfig("2027-01", NEW)), Duration.ofSeconds(30), clock);

  private static String signed(String path, long exp, String group, String kid, byte[] secret) {
    return path + "?" + SignedUrls.sign(path, exp, group, kid, secret);
  }

  @Test
  void valid_newKey_accepted() {
    assertThat(verifier.check(signed(PDF, NOW + 3600, "6e-b", "2027-01", NEW))).isNull();
  }

  @Test
  void oldKeyDuringRotation_accepted() {
    assertThat(verifier.check(signed(PDF, NOW + 3600, null, "2026-09", OLD))).isNull();
  }

  @Test
  void withoutKeyId_anyActiveKeyMatches() {
    String link = signed(PDF, NOW + 60, null, "x", OLD).replace("&kid=x", "");
    assertThat(verifier.check(link)).isNull();
  }

  @Test
  void expired_refusedAfterTheSkewOnly() {
    String link = signed(PDF, NOW - 30, null, "2027-01", NEW);
    assertThat(verifier.check(link)).isNull(); // 30 s past: within the clock-skew allowance
    clock.advance(Duration.ofSeconds(1));
    assertThat(verifier.check(link)).isEqualTo(DenialReason.EXPIRED);
  }

  @Test
  void tamperedPath_badSignature() {
    String link = signed(PDF, NOW + 60, null, "2027-01", NEW).replace("manuel.pdf", "corrige.pdf");
    assertThat(verifier.check(link)).isEqualTo(DenialReason.BAD_SIGNATURE);
  }

  @Test
  void tamperedExpiry_badSignatureNotExpiredNorValid() {
    String link = signed(PDF, NOW - 3600, null, "2027-01", NEW)
        .replace("exp=" + (NOW - 3600), "exp=" + (NOW + 3600));
    assertThat(verifier.check(link)).isEqualTo(DenialReason.BAD_SIGNATURE);
  }

  @Test
  void tamperedGroup_badSignature() {
    String link = signed(PDF, NOW + 60, "6e-b", "2027-01", NEW).replace("grp=6e-b", "grp=6e-a");
    assertThat(verifier.check(link)).isEqualTo(DenialReason.BAD_SIGNATURE);
  }

  @Test
  void signedWithAnotherSecret_badSignature() {
    byte[] forged = "attacker-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.check(signed(PDF, NOW + 60, null, "2027-01", forged))).isEqualTo(DenialReason.BAD_SIGNATURE);
  }

  @Test
  void unknownKeyId_unknownKey() {
    assertThat(verifier.check(signed(PDF, NOW + 60, null, "2025-01", NEW))).isEqualTo(DenialReason.UNKNOWN_KEY);
  }

  @Test
  void missingSignatureOrExpiry_missing() {
    assertThat(verifier.check(PDF)).isEqualTo(DenialReason.MISSING);
    assertThat(verifier.check(PDF + "?page=2")).isEqualTo(DenialReason.MISSING);
    assertThat(verifier.check(PDF + "?exp=" + (NOW + 60))).isEqualTo(DenialReason.MISSING);
  }

  @Test
  void malformedParameters_malformed() {
    String link = signed(PDF, NOW + 60, null, "2027-01", NEW);
    assertThat(verifier.check(link + "&exp=" + (NOW + 60))).isEqualTo(DenialReason.MALFORMED);
    assertThat(verifier.check(link.replace("sig=", "sig=%%"))).isEqualTo(DenialReason.MALFORMED);
    assertThat(verifier.check(PDF + "?exp=soon&sig=" + "A".repeat(43))).isEqualTo(DenialReason.MALFORMED);
    assertThat(verifier.check(PDF + "?exp=1&sig=AAAA")).isEqualTo(DenialReason.MALFORMED);
  }

  @Test
  void unsigned_removesOnlyTheSignatureParameters() {
    String link = PDF + "?page=2&" + SignedUrls.sign(PDF, NOW, "6e-b", "2027-01", NEW) + "&zoom=1";
    assertThat(SignedUrls.unsigned(link)).isEqualTo(PDF + "?page=2&zoom=1");
    assertThat(SignedUrls.unsigned(signed(PDF, NOW, null, "k", NEW))).isEqualTo(PDF);
    assertThat(SignedUrls.unsigned(PDF)).isEqualTo(PDF);
  }

  @Test
  void twoPupilsLinks_sameStoredTarget() {
    String first = signed(PDF, NOW + 60, "6e-a", "2027-01", NEW);
    String second = signed(PDF, NOW + 3600, "6e-b", "2026-09", OLD);
    assertThat(first).isNotEqualTo(second);
    assertThat(SignedUrls.unsigned(first)).isEqualTo(SignedUrls.unsigned(second)).isEqualTo(PDF);
  }
}
