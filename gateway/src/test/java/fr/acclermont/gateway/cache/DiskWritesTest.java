package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The disk tier's write queue is bounded in bytes: a disk that cannot keep up skips slices, counted. */
class DiskWritesTest {

  private static final long SLICE = 1L << 20;

  @Test
  void enqueue_upToTheBound_thenSkipsAndCounts_untilWritesDrainIt() {
    DiskWrites writes = new DiskWrites();
    long fits = DiskWrites.MAX_QUEUED_BYTES / SLICE;
    for (int i = 0; i < fits; i++) {
      assertThat(writes.enqueue(SLICE)).as("slice %d", i).isTrue();
    }

    assertThat(writes.enqueue(SLICE)).isFalse();
    assertThat(writes.enqueue(SLICE)).isFalse();
    assertThat(writes.skipped()).isEqualTo(2);
    assertThat(writes.queuedBytes()).isEqualTo(DiskWrites.MAX_QUEUED_BYTES);

    writes.dequeued(SLICE); // one written
    assertThat(writes.enqueue(SLICE)).isTrue();
    assertThat(writes.queuedBytes()).isEqualTo(DiskWrites.MAX_QUEUED_BYTES);
    assertThat(writes.skipped()).isEqualTo(2);
  }
}
