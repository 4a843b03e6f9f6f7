package fr.acclermont.benchmarks.server;

/** Checks run between iterations of the request-path benchmarks: cheap, and loud when they fail. */
final class EdgeChecks {

  private EdgeChecks() {
  }

  /**
   * The connection is still open (kept alive, never cut), nothing is left unread, and the memory
   * tier's slices hold only the tier's own reference (every response released its views).
   *
   * @throws IllegalStateException if not
   */
  static void checkSettled(EdgeFixture fixture) {
    if (!fixture.channel().isOpen()) {
      throw new IllegalStateException("the connection was closed: a response was not a complete hit");
    }
    if (!fixture.channel().outboundMessages().isEmpty()) {
      throw new IllegalStateException(fixture.channel().outboundMessages().size() + " messages left unread");
    }
    for (int i = 0; i < fixture.object().sliceCount(); i++) {
      int extra = fixture.sliceRefCnt(i);
      if (extra > 1) {
        throw new IllegalStateException("slice " + i + " holds " + (extra - 1) + " references besides the tier's");
      }
    }
  }
}
