package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.security.SignedUrls;
import fr.acclermont.loadtest.client.RequestSpec;
import java.time.Duration;
import java.util.List;

/**
 * Each student's own signed links ({@code classroom --sign-key-file}), as a publisher's cloud hands
 * them out: every request under the prefix carries {@code exp}, {@code grp=student-N}, {@code kid}
 * and {@code sig}, made by the gateway's own {@link SignedUrls#sign}, so the tool and the gateway
 * cannot disagree on the format. The 35 students thus send 35 different URLs for each object: a
 * gateway keying its cache on the URL would fetch it 35 times, which is what the run measures. The
 * last {@code unsigned} students send no link at all: pupils without a valid one.
 *
 * <p>Links are made when the plans are, before the clock starts: signing is the cloud's work, not
 * the tablet's. Immutable.
 */
final class StudentLinks {

  private final String basePath;
  private final String prefix;
  private final String keyId;
  private final byte[] secret;
  private final Duration ttl;
  private final long expiresAtSeconds;
  private final int unsigned;

  /**
   * @param basePath the target's base path: the gateway checks the path as sent, which starts with it
   * @param prefix links are added to the paths (base path included) that start with this
   * @param expiresAtSeconds every link's {@code exp}, in Unix seconds (now + {@code ttl})
   * @param unsigned how many of the last students send no link
   */
  StudentLinks(String basePath, String prefix, String keyId, byte[] secret, Duration ttl, long expiresAtSeconds,
      int unsigned) {
    this.basePath = requireNonNull(basePath, "basePath");
    this.prefix = requireNonNull(prefix, "prefix");
    this.keyId = requireNonNull(keyId, "keyId");
    this.secret = secret.clone();
    this.ttl = requireNonNull(ttl, "ttl");
    this.expiresAtSeconds = expiresAtSeconds;
    this.unsigned = unsigned;
  }

  String prefix() {
    return prefix;
  }

  String keyId() {
    return keyId;
  }

  Duration ttl() {
    return ttl;
  }

  int unsigned() {
    return unsigned;
  }

  /** The plan of student {@code id} (from 1) of {@code students}: with its own links, or as is if it has none. */
  StudentPlan plan(StudentPlan plan, int id, int students) {
    if (id > students - unsigned) {
      return plan;
    }
    String group = "student-" + id;
    List<StudentPlan.Batch> batches = plan.batches().stream()
        .map(batch -> new StudentPlan.Batch(batch.requests().stream().map(spec -> sign(spec, group)).toList(),
            batch.required()))
        .toList();
    return new StudentPlan(plan.activity(), batches, plan.bookOpenBatch());
  }

  /** {@code target} (a path, maybe with a query) with a link of {@code group} added if it is under the prefix. */
  String sign(String target, String group) {
    int question = target.indexOf('?');
    String path = basePath + (question < 0 ? target : target.substring(0, question));
    if (!path.startsWith(prefix)) {
      return target;
    }
    return target + (question < 0 ? '?' : '&') + SignedUrls.sign(path, expiresAtSeconds, group, keyId, secret);
  }

  private RequestSpec sign(RequestSpec spec, String group) {
    return new RequestSpec(spec.kind(), sign(spec.target(), group), spec.range(), spec.resourceSize(),
        spec.verifier());
  }
}
