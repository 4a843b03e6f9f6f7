package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticContentTest {

  private static final String NAME = "/blobs/1GiB/sample";

  @Test
  void bytes_unalignedRange_equalsSliceOfWiderRange() {
    byte[] wide = SyntheticContent.bytes(NAME, 1000, 200, 1);

    for (int offset = 0; offset < 20; offset++) {
      byte[] narrow = SyntheticContent.bytes(NAME, 1000 + offset, 150 - offset, 1);
      assertThat(narrow).isEqualTo(Arrays.copyOfRange(wide, offset, 150));
    }
  }

  @Test
  void bytes_offsetPastTwoGiB_equalsSliceOfRangeStartingEarlier() {
    long twoGiB = 2L << 30;
    byte[] wide = SyntheticContent.bytes(NAME, twoGiB - 5, 64, 1);

    assertThat(SyntheticContent.bytes(NAME, twoGiB + 3, 40, 1)).isEqualTo(Arrays.copyOfRange(wide, 8, 48));
  }

  @Test
  void bytes_sameNameAndSeed_sameBytes() {
    assertThat(SyntheticContent.bytes(NAME, 0, 4096, 7)).isEqualTo(SyntheticContent.bytes(NAME, 0, 4096, 7));
  }

  @Test
  void bytes_otherSeedOrName_otherBytes() {
    byte[] reference = SyntheticContent.bytes(NAME, 0, 64, 1);

    assertThat(SyntheticContent.bytes(NAME, 0, 64, 2)).isNotEqualTo(reference);
    assertThat(SyntheticContent.bytes(NAME + "x", 0, 64, 1)).isNotEqualTo(reference);
  }

  @Test
  void fill_byteBuf_appendsAtWriterIndex() {
    ByteBuf target = Unpooled.buffer();
    try {
      target.writeByte(42);
      SyntheticContent.fill(target, NAME, 10, 30, 1);

      assertThat(target.readableBytes()).isEqualTo(31);
      assertThat(target.getByte(0)).isEqualTo((byte) 42);
      byte[] written = new byte[30];
      target.getBytes(1, written);
      assertThat(written).isEqualTo(SyntheticContent.bytes(NAME, 10, 30, 1));
    } finally {
      target.release();
    }
  }

  @Test
  void fill_negativeOffset_rejected() {
    ByteBuf target = Unpooled.buffer();
    try {
      assertThatThrownBy(() -> SyntheticContent.fill(target, NAME, -1, 10, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("offset: -1");
    } finally {
      target.release();
    }
  }
}
