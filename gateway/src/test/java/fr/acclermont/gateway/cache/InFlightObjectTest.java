package fr.acclermont.gateway.cache;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.cache.InFlightObject.Head;
import fr.acclermont.gateway.cache.InFlightObject.Registration;
import fr.acclermont.gateway.cache.InFlightObject.State;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Objects in flight: slicing into the memory tier, subscribers reading while the body streams, and
 * who holds which reference to each slice buffer. Caffeine's maintenance runs on the calling thread
 * (STYLE T6) and the {@link TrackingAllocator} exposes the raw slice buffers, so reference counts
 * are asserted exactly: a sealed slice has one reference held by the tier, one by the object while
 * it is referenced, and one per slice a reader has not released yet.
 */
class InFlightObjectTest {

  private static final CacheKey KEY = new CacheKey("cloud", "/book.pdf");
  private static final int SLICE_SIZE = 4;
  private static final String BODY = "abcdefghij";
  private static final HttpHeaders HEADERS = new DefaultHttpHeaders().add("content-type", "application/pdf");

  private final TrackingAllocator alloc = new TrackingAllocator();
  private final AtomicInteger evictions = new AtomicInteger();
  private MemoryTier tier = new MemoryTier(1 << 20, 1 << 16, Runnable::run, evictions::incrementAndGet);
  private final List<Long> publishedVersions = new CopyOnWriteArrayList<>();
  private final List<Registration> registrations = new ArrayList<>();
  private final List<DefaultEventExecutor> executors = new ArrayList<>();

  @AfterEach
  void cancelCloseAndCheckReleased() throws InterruptedException {
    registrations.forEach(Registration::cancel); // idempotent: a failed test must not leak too
    for (DefaultEventExecutor executor : executors) {
      executor.shutdownGracefully(0, 1, SECONDS);
    }
    for (DefaultEventExecutor executor : executors) {
      assertThat(executor.terminationFuture().await(5, SECONDS)).as("executor terminated").isTrue();
    }
    tier.close();
    alloc.assertAllReleased();
  }

  // ---- slicing and publication (ported from SliceWriterTest) ----

  @ParameterizedTest(name = "length={0}, chunks of {1}")
  @CsvSource({"10, 1", "10, 3", "10, 4", "10, 10", "-1, 1", "-1, 3", "-1, 4", "-1, 10"})
  void complete_bodyInChunks_slicesOfSliceSizePublishedAtComplete(long length, int chunkSize) {
    InFlightObject object = streaming(length);
    for (int i = 0; i < BODY.length(); i += chunkSize) {
      assertThat(append(object, BODY.substring(i, Math.min(BODY.length(), i + chunkSize)))).isTrue();
    }
    assertThat(object.written()).isEqualTo(10);
    assertThat(tier.object(KEY)).as("published before complete").isNull();

    assertThat(object.complete(metadata())).isTrue();

    assertThat(object.state()).isEqualTo(State.COMPLETE);
    StoredObject stored = tier.object(KEY);
    assertThat(stored).isNotNull();
    assertThat(stored.version()).isEqualTo(publishedVersions.get(0));
    assertThat(stored.length()).isEqualTo(10);
    assertThat(stored.sliceSize()).isEqualTo(SLICE_SIZE);
    assertThat(stored.sliceCount()).isEqualTo(3);
    assertThat(sliceContents(stored)).containsExactly("abcd", "efgh", "ij");
    assertThat(tier.acquireSlice(stored.slice(3))).isNull();
    assertThat(holders(stored)).as("the tier only: the object ended without subscribers").containsExactly(1, 1, 1);
    assertThat(alloc.live()).isEqualTo(3);
  }

  @Test
  void complete_knownLength_lastSliceAllocatedAtItsFinalSize() {
    InFlightObject object = streaming(10);
    append(object, BODY);

    assertThat(object.complete(metadata())).isTrue();

    assertThat(sliceCapacities(tier.object(KEY))).containsExactly(4, 4, 2);
  }

  @Test
  void complete_unknownLength_lastSliceStoredWithoutSpareRoom() {
    InFlightObject object = streaming(-1);
    append(object, BODY);

    assertThat(object.complete(metadata())).isTrue();

    assertThat(sliceCapacities(tier.object(KEY))).containsExactly(4, 4, 2);
  }

  @Test
  void append_reachingSliceBoundary_sealsThatSliceIntoTierAtOnce() {
    InFlightObject object = streaming(10);

    append(object, "abc");
    assertThat(alloc.allocated()).hasSize(1);
    assertThat(raw(0).refCnt()).as("a partial slice is the object's only").isEqualTo(1);
    assertThat(tier.weightedBytes()).isZero();

    append(object, "de");
    assertThat(alloc.allocated()).hasSize(2);
    assertThat(raw(0).refCnt()).as("sealed: the object's and the tier's").isEqualTo(2);
    assertThat(raw(0).toString(US_ASCII)).isEqualTo("abcd");
    assertThat(raw(1).refCnt()).isEqualTo(1);
    assertThat(raw(1).toString(US_ASCII)).isEqualTo("e");
    assertThat(tier.weightedBytes()).isPositive();

    append(object, "fghij");
    assertThat(raw(1).refCnt()).isEqualTo(2);
    assertThat(raw(2).refCnt()).as("the last slice is sealed at complete").isEqualTo(1);
    assertThat(tier.object(KEY)).isNull();

    assertThat(object.complete(metadata())).isTrue();
    assertThat(alloc.allocated()).allSatisfy(b -> assertThat(b.refCnt()).isEqualTo(1));
  }

  @ParameterizedTest(name = "length={0}")
  @ValueSource(longs = {8, -1})
  void complete_exactMultipleOfSliceSize_noTrailingEmptySlice(long length) {
    InFlightObject object = streaming(length);
    append(object, "abcdefgh");

    assertThat(object.complete(metadata())).isTrue();

    StoredObject stored = tier.object(KEY);
    assertThat(stored.sliceCount()).isEqualTo(2);
    assertThat(sliceContents(stored)).containsExactly("abcd", "efgh");
    assertThat(tier.acquireSlice(stored.slice(2))).isNull();
    assertThat(alloc.allocated()).hasSize(2);
  }

  @ParameterizedTest(name = "length={0}")
  @ValueSource(longs = {0, -1})
  void complete_emptyBody_publishedWithoutSlices(long length) {
    InFlightObject object = streaming(length);
    assertThat(append(object, "")).isTrue();

    assertThat(object.complete(metadata())).isTrue();

    assertThat(object.state()).isEqualTo(State.COMPLETE);
    StoredObject stored = tier.object(KEY);
    assertThat(stored.length()).isZero();
    assertThat(stored.sliceCount()).isZero();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(alloc.allocated()).isEmpty();
  }

  @Test
  void append_data_copiedWithoutConsumingOrReleasingIt() {
    InFlightObject object = streaming(-1);
    ByteBuf data = Unpooled.copiedBuffer("xxabcdefyy", US_ASCII).setIndex(2, 8);
    try {
      assertThat(object.append(data)).isTrue();
      assertThat(data.readerIndex()).isEqualTo(2);
      assertThat(data.writerIndex()).isEqualTo(8);
      assertThat(data.refCnt()).as("the caller still owns its buffer").isEqualTo(1);
    } finally {
      data.release();
    }

    assertThat(object.complete(metadata())).isTrue();
    assertThat(sliceContents(tier.object(KEY))).containsExactly("abcd", "ef");
  }

  @Test
  void complete_fewerBytesThanLength_failsNotPublishedAndSlicesRemoved() {
    InFlightObject object = streaming(10);
    append(object, "abcdefghi");
    assertThat(tier.weightedBytes()).as("sealed slices are stored as the body streams").isPositive();

    assertThat(object.complete(metadata())).isFalse();

    assertThat(object.state()).isEqualTo(State.FAILED);
    assertThat(publishedVersions).isEmpty();
    assertThat(tier.object(KEY)).isNull();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(alloc.live()).isZero();
  }

  @Test
  void append_moreBytesThanLength_failsAndReturnsFalse() {
    InFlightObject object = streaming(6);
    assertThat(append(object, "abcd")).isTrue();

    assertThat(append(object, "efg")).isFalse();

    assertThat(object.state()).isEqualTo(State.FAILED);
    assertThat(object.written()).isEqualTo(4);
    assertThat(alloc.live()).isZero();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(object.complete(metadata())).isFalse();
    assertThat(tier.object(KEY)).isNull();
  }

  @ParameterizedTest(name = "length={0}")
  @ValueSource(longs = {12, -1})
  void append_beyondMaxObjectBytes_failsAndReturnsFalse(long length) {
    useTier(1 << 20, 8);
    InFlightObject object = streaming(length);
    assertThat(append(object, "abcdef")).isTrue();

    assertThat(append(object, "ghi")).isFalse();

    assertThat(object.state()).isEqualTo(State.FAILED);
    assertThat(alloc.live()).isZero();
    assertThat(tier.weightedBytes()).isZero();
    assertThat(append(object, "j")).as("append after failure").isFalse();
    assertThat(object.complete(metadata())).isFalse();
    assertThat(tier.object(KEY)).isNull();
  }

  @Test
  void append_exactlyMaxObjectBytes_stored() {
    useTier(1 << 20, 8);
    InFlightObject object = streaming(-1);

    assertThat(append(object, "abcdefgh")).isTrue();

    assertThat(object.complete(metadata())).isTrue();
    assertThat(tier.object(KEY).length()).isEqualTo(8);
  }

  @Test
  void fail_afterSealedSlices_removesThemAndReleasesEveryBuffer() {
    InFlightObject object = streaming(-1);
    append(object, "abcdefghi"); // two sealed slices and a partial one
    assertThat(alloc.live()).isEqualTo(3);

    object.fail();

    assertThat(object.state()).isEqualTo(State.FAILED);
    assertThat(alloc.live()).isZero();
    assertThat(tier.weightedBytes()).isZero();
    object.fail(); // idempotent
    assertThat(object.complete(metadata())).isFalse();
    assertThat(tier.object(KEY)).isNull();
    assertThat(evictions).hasValue(0);
  }

  @Test
  void complete_secondFillOfSameKey_replacesFirstAndReleasesItsSlices() {
    InFlightObject first = streaming(-1);
    append(first, "old-body");
    first.complete(metadata());
    List<ByteBuf> oldSlices = alloc.allocated();
    StoredObject old = tier.object(KEY);

    InFlightObject second = streaming(-1);
    append(second, "new");
    second.complete(metadata());

    StoredObject current = tier.object(KEY);
    assertThat(current.version()).isNotEqualTo(old.version());
    assertThat(sliceContents(current)).containsExactly("new");
    assertThat(oldSlices).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    assertThat(tier.acquireSlice(old.slice(0))).isNull();
  }

  @Test
  void complete_twice_secondReturnsFalse() {
    InFlightObject object = streaming(-1);
    append(object, "abc");

    assertThat(object.complete(metadata())).isTrue();
    assertThat(object.complete(metadata())).isFalse();
    assertThat(publishedVersions).hasSize(1);
  }

  // ---- states ----

  @Test
  void constructor_newObject_awaitingHeadWithNothingAllocated() {
    InFlightObject object = object();

    assertThat(object.key()).isEqualTo(KEY);
    assertThat(object.state()).isEqualTo(State.AWAITING_HEAD);
    assertThat(object.head()).isNull();
    assertThat(object.written()).isZero();
    assertThat(alloc.allocated()).isEmpty();
  }

  @Test
  void publishHead_awaitingHead_streamingWithThatHead() {
    InFlightObject object = object();
    Head head = new Head(200, HEADERS, 10);

    object.publishHead(head);

    assertThat(object.state()).isEqualTo(State.STREAMING);
    assertThat(object.head()).isSameAs(head);
  }

  @Test
  void appendAndComplete_beforeHead_refusedAndStillAwaitingHead() {
    InFlightObject object = object();

    assertThat(append(object, "abc")).isFalse();
    assertThat(object.complete(metadata())).isFalse();

    assertThat(object.state()).isEqualTo(State.AWAITING_HEAD);
    assertThat(alloc.allocated()).isEmpty();
    assertThat(tier.object(KEY)).isNull();
  }

  @Test
  void abandon_beforeHead_abandonedAndFinal() {
    InFlightObject object = object();

    object.abandon();

    assertThat(object.state()).isEqualTo(State.ABANDONED);
    assertThat(object.head()).isNull();
    object.fail();
    assertThat(object.state()).as("fail after abandon").isEqualTo(State.ABANDONED);
    assertThat(object.complete(metadata())).isFalse();
    assertThat(tier.object(KEY)).isNull();
  }

  @Test
  void abandon_afterHead_failsAndRemovesSlices() {
    InFlightObject object = streaming(-1);
    append(object, "abcde");

    object.abandon();

    assertThat(object.state()).isEqualTo(State.FAILED);
    assertThat(tier.weightedBytes()).isZero();
    assertThat(alloc.live()).isZero();
  }

  @Test
  void fail_beforeHead_failed() {
    InFlightObject object = object();

    object.fail();

    assertThat(object.state()).isEqualTo(State.FAILED);
    object.abandon();
    assertThat(object.state()).isEqualTo(State.FAILED);
  }

  @Test
  void failAndAbandon_afterComplete_ignoredAndObjectStaysPublished() {
    InFlightObject object = streaming(-1);
    append(object, BODY);
    object.complete(metadata());

    object.fail();
    object.abandon();

    assertThat(object.state()).isEqualTo(State.COMPLETE);
    assertThat(sliceContents(tier.object(KEY))).containsExactly("abcd", "efgh", "ij");
    assertThat(append(object, "k")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(State.class)
  void isTerminal_eachState_trueOnlyOnceEnded(State state) {
    assertThat(state.isTerminal())
        .isEqualTo(state != State.AWAITING_HEAD && state != State.STREAMING);
  }

  // ---- subscribers: notifications ----

  @Test
  void subscribe_beforeHead_notifiedOfHeadEachAppendAndEnd() {
    InFlightObject object = object();
    Recorder recorder = new Recorder(object, ImmediateEventExecutor.INSTANCE);
    Registration registration = subscribe(object, recorder);
    assertThat(registration).isNotNull();
    assertThat(recorder.events).as("no notification on subscribe").isEmpty();

    object.publishHead(new Head(200, HEADERS, 8));
    append(object, "abc");
    append(object, "defgh");
    object.complete(metadata());

    assertThat(recorder.events).containsExactly("STREAMING@0", "STREAMING@3", "STREAMING@8", "COMPLETE@8");
    registration.cancel();
  }

  @Test
  void fail_withSubscriber_notifiedOfFailure() {
    InFlightObject object = streaming(10);
    Recorder recorder = new Recorder(object, ImmediateEventExecutor.INSTANCE);
    subscribe(object, recorder);
    append(object, "abc");

    object.fail();

    assertThat(recorder.events).containsExactly("STREAMING@3", "FAILED@3");
  }

  @Test
  void abandon_withSubscriber_notifiedOfAbandon() {
    InFlightObject object = object();
    Recorder recorder = new Recorder(object, ImmediateEventExecutor.INSTANCE);
    subscribe(object, recorder);

    object.abandon();

    assertThat(recorder.events).containsExactly("ABANDONED@0");
  }

  @Test
  void cancel_registration_noFurtherNotifications() {
    InFlightObject object = streaming(-1);
    Recorder recorder = new Recorder(object, ImmediateEventExecutor.INSTANCE);
    Registration registration = subscribe(object, recorder);
    append(object, "ab");

    registration.cancel();
    append(object, "cd");
    object.complete(metadata());

    assertThat(recorder.events).containsExactly("STREAMING@2");
  }

  @Test
  void onProgress_eventsWhileOneIsQueued_coalescedAndRunOnSubscriberExecutor() throws Exception {
    DefaultEventExecutor loop = executor();
    InFlightObject object = streaming(-1);
    Recorder recorder = new Recorder(object, loop);
    subscribe(object, recorder);
    CountDownLatch gate = block(loop);

    append(object, "ab");
    append(object, "cd");
    append(object, "ef");
    gate.countDown();
    drain(loop);

    assertThat(recorder.events).as("one notification for three appends").containsExactly("STREAMING@6");
    assertThat(recorder.offLoop).as("onProgress calls off the subscriber's executor").hasValue(0);

    object.complete(metadata());
    drain(loop);
    assertThat(recorder.events).containsExactly("STREAMING@6", "COMPLETE@6");
  }

  @Test
  void cancel_withNotificationQueued_onProgressNeverCalled() throws Exception {
    DefaultEventExecutor loop = executor();
    InFlightObject object = streaming(-1);
    Recorder recorder = new Recorder(object, loop);
    Registration registration = subscribe(object, recorder);
    CountDownLatch gate = block(loop);
    append(object, "ab");

    registration.cancel();
    gate.countDown();
    drain(loop);

    assertThat(recorder.events).isEmpty();
    object.complete(metadata());
  }

  @Test
  void subscribe_afterFail_null() {
    InFlightObject object = streaming(-1);
    object.fail();

    assertThat(object.subscribe(new Recorder(object, ImmediateEventExecutor.INSTANCE))).isNull();
  }

  @Test
  void subscribe_afterAbandon_null() {
    InFlightObject object = object();
    object.abandon();

    assertThat(object.subscribe(new Recorder(object, ImmediateEventExecutor.INSTANCE))).isNull();
  }

  @Test
  void subscribe_afterCompleteWithNoSubscriberLeft_nullAsBuffersAreReleased() {
    InFlightObject object = streaming(-1);
    append(object, BODY);
    object.complete(metadata());

    assertThat(object.subscribe(new Recorder(object, ImmediateEventExecutor.INSTANCE))).isNull();
  }

  @Test
  void subscribe_afterCompleteWhileAnotherStillSubscribed_readsWholeBody() {
    InFlightObject object = streaming(-1);
    Registration first = subscribe(object, new Recorder(object, ImmediateEventExecutor.INSTANCE));
    append(object, BODY);
    object.complete(metadata());

    Registration late = subscribe(object, new Recorder(object, ImmediateEventExecutor.INSTANCE));

    assertThat(late).isNotNull();
    assertThat(readToEnd(object, 0, 100)).containsExactly("abcd", "efgh", "ij");
    first.cancel();
    assertThat(raw(0).refCnt()).as("the late subscriber keeps the object's references").isEqualTo(2);
    assertThat(readToEnd(object, 3, 100)).containsExactly("d", "efgh", "ij");
    late.cancel();
    assertThat(holders(tier.object(KEY))).as("the tier only").containsExactly(1, 1, 1);
    assertThat(alloc.live()).isEqualTo(3);
  }

  // ---- subscribers: read ----

  @ParameterizedTest(name = "read({0}, {1})")
  @CsvSource({"0, 100, abcd", "0, 3, abc", "2, 100, cd", "3, 1, d", "4, 100, efgh", "5, 2, fg", "7, 100, h",
      "8, 100, ij", "9, 100, j"})
  void read_anyPosition_atMostMaxAndNeverAcrossSliceBoundary(long position, int max, String expected) {
    InFlightObject object = streaming(-1);
    append(object, BODY);

    assertThat(take(object.read(position, max))).isEqualTo(expected);

    object.complete(metadata());
  }

  @Test
  void read_nothingNew_empty() {
    InFlightObject object = object();
    assertThat(take(object.read(0, 10))).as("before the head").isEmpty();
    object.publishHead(new Head(200, HEADERS, -1));
    assertThat(take(object.read(0, 10))).as("before any byte").isEmpty();
    append(object, "abcd");

    ByteBuf atEnd = object.read(4, 10);
    assertThat(atEnd.readableBytes()).as("at a sealed slice's end").isZero();
    atEnd.release();
    assertThat(take(object.read(7, 10))).as("beyond written").isEmpty();

    object.fail();
  }

  @Test
  void read_sliceStillFilling_onlyWrittenBytes() {
    InFlightObject object = streaming(-1);
    append(object, "ab");
    assertThat(take(object.read(0, 10))).isEqualTo("ab");
    assertThat(take(object.read(2, 10))).isEmpty();

    append(object, "c");

    assertThat(take(object.read(2, 10))).isEqualTo("c");
    assertThat(take(object.read(0, 10))).isEqualTo("abc");
    object.complete(metadata());
  }

  @Test
  void read_result_retainedUntilCallerReleasesIt() {
    InFlightObject object = streaming(-1);
    append(object, "abcdef");
    assertThat(raw(0).refCnt()).isEqualTo(2); // object + tier

    ByteBuf first = object.read(0, 10);
    ByteBuf second = object.read(1, 2);

    assertThat(raw(0).refCnt()).isEqualTo(4);
    first.release();
    second.release();
    assertThat(raw(0).refCnt()).isEqualTo(2);
    object.complete(metadata());
  }

  // ---- buffer lifetime ----

  @Test
  void complete_withSubscribers_objectReferencesKeptUntilLastCancel() {
    InFlightObject object = streaming(10);
    Registration a = subscribe(object, new Recorder(object, ImmediateEventExecutor.INSTANCE));
    Registration b = subscribe(object, new Recorder(object, ImmediateEventExecutor.INSTANCE));
    append(object, BODY);

    object.complete(metadata());

    StoredObject stored = tier.object(KEY);
    assertThat(holders(stored)).as("the object and the tier").containsExactly(2, 2, 2);
    a.cancel();
    a.cancel(); // idempotent: must not count as the last subscriber leaving
    assertThat(holders(stored)).containsExactly(2, 2, 2);
    b.cancel();
    assertThat(holders(stored)).as("the tier only").containsExactly(1, 1, 1);
    assertThat(alloc.live()).isEqualTo(3);
    tier.close();
    assertThat(alloc.live()).isZero();
  }

  @Test
  void fail_withSubscriber_bytesStayReadableUntilItCancels() {
    InFlightObject object = streaming(-1);
    Registration registration = subscribe(object, new Recorder(object, ImmediateEventExecutor.INSTANCE));
    append(object, "abcdef");

    object.fail();

    assertThat(tier.weightedBytes()).isZero();
    assertThat(alloc.allocated()).as("the object's only").allSatisfy(b -> assertThat(b.refCnt()).isEqualTo(1));
    assertThat(take(object.read(0, 10))).isEqualTo("abcd");
    registration.cancel();
    assertThat(alloc.live()).isZero();
  }

  @Test
  void cancel_lastSubscriberBeforeEnd_buffersKeptForTheProducer() {
    InFlightObject object = streaming(-1);
    Registration registration = subscribe(object, new Recorder(object, ImmediateEventExecutor.INSTANCE));
    append(object, "abcdef");

    registration.cancel();

    assertThat(raw(0).refCnt()).as("object + tier").isEqualTo(2);
    assertThat(raw(1).refCnt()).as("object").isEqualTo(1);
    assertThat(append(object, "gh")).isTrue();
    assertThat(object.complete(metadata())).isTrue();
    assertThat(sliceContents(tier.object(KEY))).containsExactly("abcd", "efgh");
    assertThat(holders(tier.object(KEY))).as("the tier only").containsExactly(1, 1);
    assertThat(alloc.live()).isEqualTo(2);
  }

  @ParameterizedTest(name = "completed={0}")
  @ValueSource(booleans = {true, false})
  void read_sliceHeldAfterObjectAndTierReleased_staysValid(boolean completed) {
    InFlightObject object = streaming(-1);
    Registration registration = subscribe(object, new Recorder(object, ImmediateEventExecutor.INSTANCE));
    append(object, BODY);
    ByteBuf held = object.read(4, 4);
    if (completed) {
      object.complete(metadata());
    } else {
      object.fail();
    }
    registration.cancel();
    tier.close();

    assertThat(raw(0).refCnt()).isZero();
    assertThat(held.refCnt()).isEqualTo(1);
    assertThat(raw(1).refCnt()).as("the reader's reference only").isEqualTo(1);
    assertThat(take(held)).isEqualTo("efgh");
    assertThat(alloc.live()).isZero();
  }

  // ---- concurrency ----

  @ParameterizedTest(name = "known length={0}")
  @ValueSource(booleans = {true, false})
  void read_eightSubscribersOnOwnLoopsWhileProducerAppends_eachGetsExactBody(boolean knownLength) throws Exception {
    useTier(32 << 20, 8 << 20);
    int sliceSize = 64 * 1024;
    byte[] body = new byte[5 << 20];
    new Random(42).nextBytes(body);
    InFlightObject object = new InFlightObject(tier, alloc, KEY, sliceSize);
    CountDownLatch finished = new CountDownLatch(8);
    CountDownLatch halfWritten = new CountDownLatch(1);
    CountDownLatch lateJoined = new CountDownLatch(1);
    List<StreamingReader> readers = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // join before the head
      readers.add(join(object, sliceSize, finished));
    }
    AtomicReference<@Nullable Throwable> producerError = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try {
        Random sizes = new Random(7);
        object.publishHead(new Head(200, HEADERS, knownLength ? body.length : -1));
        int offset = 0;
        while (offset < body.length) {
          if (offset >= body.length / 2 && halfWritten.getCount() > 0) {
            halfWritten.countDown();
            if (!lateJoined.await(10, SECONDS)) {
              throw new AssertionError("late subscribers did not join");
            }
          }
          int n = Math.min(1 + sizes.nextInt(3 * sliceSize / 2), body.length - offset);
          ByteBuf piece = Unpooled.wrappedBuffer(body, offset, n);
          try {
            if (!object.append(piece)) {
              throw new AssertionError("append refused at " + offset);
            }
          } finally {
            piece.release();
          }
          offset += n;
        }
        if (!object.complete(metadata())) {
          throw new AssertionError("complete refused");
        }
      } catch (Throwable t) {
        producerError.set(t);
        object.fail();
      }
    }, "producer");
    producer.start();
    assertThat(halfWritten.await(10, SECONDS)).as("half written").isTrue();
    for (int i = 0; i < 4; i++) { // join mid-stream, racing the appends once released
      StreamingReader late = join(object, sliceSize, finished);
      late.loop.execute(late::onProgress); // a subscriber catches up on its own after subscribing
      readers.add(late);
    }
    lateJoined.countDown();

    assertThat(finished.await(10, SECONDS)).as("every subscriber reached the end").isTrue();
    producer.join(10_000);
    assertThat(producer.isAlive()).isFalse();
    assertThat(producerError.get()).isNull();
    byte[] expected = sha256(body);
    assertThat(readers).allSatisfy(r -> {
      assertThat(r.failure).isNull();
      assertThat(r.position).isEqualTo(body.length);
      assertThat(r.hash).isEqualTo(expected);
    });
    StoredObject stored = tier.object(KEY);
    assertThat(stored.length()).isEqualTo(body.length);
    assertThat(sha256OfTier(stored)).as("the tier's copy").isEqualTo(expected);
    assertThat(holders(stored)).as("the tier only, once every subscriber left").containsOnly(1);
    assertThat(alloc.live()).isEqualTo(stored.sliceCount());
  }

  // ---- helpers ----

  private void useTier(long maxBytes, long maxObjectBytes) {
    tier.close();
    tier = new MemoryTier(maxBytes, maxObjectBytes, Runnable::run, evictions::incrementAndGet);
  }

  private InFlightObject object() {
    return new InFlightObject(tier, alloc, KEY, SLICE_SIZE);
  }

  private InFlightObject streaming(long length) {
    InFlightObject object = object();
    object.publishHead(new Head(200, HEADERS, length));
    return object;
  }

  private @Nullable Registration subscribe(InFlightObject object, InFlightObject.Subscriber subscriber) {
    Registration registration = object.subscribe(subscriber);
    if (registration != null) {
      registrations.add(registration);
    }
    return registration;
  }

  private StreamingReader join(InFlightObject object, int sliceSize, CountDownLatch finished) {
    StreamingReader reader = new StreamingReader(object, executor(), sliceSize, finished);
    Registration registration = object.subscribe(reader);
    assertThat(registration).isNotNull();
    reader.registration = registration;
    registrations.add(registration);
    return reader;
  }

  private DefaultEventExecutor executor() {
    DefaultEventExecutor executor = new DefaultEventExecutor();
    executors.add(executor);
    return executor;
  }

  /** Holds the executor's thread until the returned gate opens, so notifications queue up. */
  private static CountDownLatch block(EventExecutor loop) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    loop.execute(() -> {
      blocked.countDown();
      try {
        gate.await(10, SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(blocked.await(10, SECONDS)).isTrue();
    return gate;
  }

  /** Waits until every task queued on the executor so far has run. */
  private static void drain(EventExecutor loop) throws Exception {
    assertThat(loop.submit(() -> { }).await(10, SECONDS)).isTrue();
  }

  private InFlightObject.MetadataFactory metadata() {
    return (version, length, sliceSize) -> {
      publishedVersions.add(version);
      return new StoredObject(KEY, version, 200, HEADERS, length, sliceSize, 0, 0, 0, 0, 60);
    };
  }

  private static boolean append(InFlightObject object, String chunk) {
    ByteBuf data = Unpooled.copiedBuffer(chunk, US_ASCII);
    try {
      return object.append(data);
    } finally {
      data.release();
    }
  }

  /** The text of a read result, which it releases. */
  private static String take(ByteBuf piece) {
    try {
      return piece.toString(US_ASCII);
    } finally {
      piece.release();
    }
  }

  /** Every read from {@code position} until nothing is left, as texts. */
  private static List<String> readToEnd(InFlightObject object, long position, int max) {
    List<String> pieces = new ArrayList<>();
    for (String piece = take(object.read(position, max)); !piece.isEmpty();
        piece = take(object.read(position, max))) {
      pieces.add(piece);
      position += piece.length();
    }
    return pieces;
  }

  /** The raw buffer of slice {@code index}, in allocation order (slices are allocated in order). */
  private ByteBuf raw(int index) {
    return alloc.allocated().get(index);
  }

  private List<String> sliceContents(StoredObject stored) {
    List<String> contents = new ArrayList<>();
    for (int i = 0; i < stored.sliceCount(); i++) {
      ByteBuf slice = tier.acquireSlice(stored.slice(i));
      assertThat(slice).as("slice %d", i).isNotNull();
      contents.add(take(slice));
    }
    return contents;
  }

  /**
   * How many references each stored slice has besides the probe taken to count them: 1 is the
   * tier's alone, 2 the tier's and the in-flight object's (a retained duplicate shares the count).
   */
  private List<Integer> holders(StoredObject stored) {
    List<Integer> holders = new ArrayList<>();
    for (int i = 0; i < stored.sliceCount(); i++) {
      ByteBuf probe = tier.acquireSlice(stored.slice(i));
      assertThat(probe).as("slice %d", i).isNotNull();
      try {
        holders.add(probe.refCnt() - 1);
      } finally {
        probe.release();
      }
    }
    return holders;
  }

  private List<Integer> sliceCapacities(StoredObject stored) {
    List<Integer> capacities = new ArrayList<>();
    for (int i = 0; i < stored.sliceCount(); i++) {
      ByteBuf slice = tier.acquireSlice(stored.slice(i));
      try {
        capacities.add(slice.capacity());
      } finally {
        slice.release();
      }
    }
    return capacities;
  }

  private byte[] sha256OfTier(StoredObject stored) {
    MessageDigest digest = sha256();
    for (int i = 0; i < stored.sliceCount(); i++) {
      ByteBuf slice = tier.acquireSlice(stored.slice(i));
      assertThat(slice).as("slice %d", i).isNotNull();
      try {
        digest.update(slice.nioBuffer());
      } finally {
        slice.release();
      }
    }
    return digest.digest();
  }

  private static byte[] sha256(byte[] bytes) {
    return sha256().digest(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Records the state and written bytes seen at each notification. */
  private static final class Recorder implements InFlightObject.Subscriber {

    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger offLoop = new AtomicInteger();
    private final InFlightObject object;
    private final EventExecutor executor;

    Recorder(InFlightObject object, EventExecutor executor) {
      this.object = object;
      this.executor = executor;
    }

    @Override
    public EventExecutor executor() {
      return executor;
    }

    @Override
    public void onProgress() {
      if (!executor.inEventLoop()) {
        offLoop.incrementAndGet();
      }
      events.add(object.state() + "@" + object.written());
    }
  }

  /**
   * A client streaming the object at its own pace: on each notification it reads all it can, and
   * it leaves once the object is complete and it has read every byte. Runs on its own loop only.
   */
  private static final class StreamingReader implements InFlightObject.Subscriber {

    private static final int MAX_READ = 96 * 1024; // more than a slice: read() must clamp

    final DefaultEventExecutor loop;
    private final InFlightObject object;
    private final int sliceSize;
    private final CountDownLatch finished;
    private final MessageDigest digest = sha256();
    volatile @Nullable Registration registration;
    volatile long position;
    volatile byte @Nullable [] hash;
    volatile @Nullable Throwable failure;
    private boolean done;

    StreamingReader(InFlightObject object, DefaultEventExecutor loop, int sliceSize, CountDownLatch finished) {
      this.object = object;
      this.loop = loop;
      this.sliceSize = sliceSize;
      this.finished = finished;
    }

    @Override
    public EventExecutor executor() {
      return loop;
    }

    @Override
    public void onProgress() {
      if (done) {
        return;
      }
      try {
        if (!loop.inEventLoop()) {
          throw new AssertionError("onProgress off the subscriber's loop");
        }
        while (true) {
          readAvailable();
          State state = object.state();
          if (state == State.FAILED || state == State.ABANDONED) {
            throw new AssertionError("object ended " + state + " at " + position);
          }
          if (state != State.COMPLETE) {
            return; // the next append or the end notifies again
          }
          if (position == object.written()) {
            finish(null);
            return;
          }
        }
      } catch (Throwable t) {
        finish(t);
      }
    }

    private void readAvailable() {
      while (true) {
        ByteBuf piece = object.read(position, MAX_READ);
        try {
          int n = piece.readableBytes();
          if (n == 0) {
            return;
          }
          if (position % sliceSize + n > sliceSize) {
            throw new AssertionError("read of " + n + " at " + position + " crosses a slice boundary");
          }
          digest.update(piece.nioBuffer());
          position += n;
        } finally {
          piece.release();
        }
      }
    }

    private void finish(@Nullable Throwable error) {
      done = true;
      failure = error;
      hash = digest.digest();
      Registration r = registration;
      if (r != null) {
        r.cancel();
      }
      finished.countDown();
    }
  }
}
