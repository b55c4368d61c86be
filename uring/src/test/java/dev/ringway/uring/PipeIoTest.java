package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class PipeIoTest {
  private final Arena arena = Arena.ofShared();
  private Ring ring;
  private int[] pipe;

  @BeforeEach
  void open() throws Exception {
    ring = Ring.open(RingOptions.of(16));
    ring.adopt(arena);
    pipe = LinuxFiles.pipe(LinuxFiles.O_CLOEXEC);
  }

  @AfterEach
  void close() throws Exception {
    ring.close();
    LinuxFiles.close(pipe[0]);
    LinuxFiles.close(pipe[1]);
  }

  private MemorySegment text(String text) {
    return arena.allocateFrom(text, StandardCharsets.US_ASCII);
  }

  private static String string(MemorySegment buffer, int length) {
    return new String(buffer.asSlice(0, length).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
  }

  @Test
  void aWriteThroughTheRingIsReadBackThroughTheRing() throws Exception {
    MemorySegment out = text("hello ring");
    MemorySegment in = arena.allocate(64);
    ring.prepRead(pipe[0], in, 64, -1, 1);
    ring.prepWrite(pipe[1], out, 10, -1, 2);

    Completions completions = new Completions();
    completions.await(ring, 2);

    assertThat(completions.of(2).res()).isEqualTo(10);
    assertThat(completions.of(1).res()).isEqualTo(10);
    assertThat(string(in, 10)).isEqualTo("hello ring");
  }

  @Test
  void anAsyncReadIsPuntedToAWorkerAndStillCompletes() throws Exception {
    MemorySegment in = arena.allocate(16);
    ring.prepRead(pipe[0], in, 16, -1, 1);
    ring.flagLast(Sqe.ASYNC);
    ring.submit();
    LinuxFiles.write(pipe[1], text("async"), 5);
    assertThat(new Completions().awaitOne(ring, 1).res()).isEqualTo(5);
    assertThat(string(in, 5)).isEqualTo("async");
  }

  @Test
  void anUnregisteredBufferRingNoLongerProvidesBuffers() throws Exception {
    BufferRing buffers = ring.registerBufferRing(4, 2, 32);
    buffers.close();
    LinuxFiles.write(pipe[1], text("data"), 4);
    ring.prepReadMultishot(pipe[0], buffers, 1);
    assertThat(new Completions().awaitOne(ring, 1).res()).isEqualTo(-Errno.ENOBUFS);
  }

  @Test
  void fixedFilesAreAddressedByIndexAndCanBeUpdatedAndUnregistered() throws Exception {
    int[] other = LinuxFiles.pipe(LinuxFiles.O_CLOEXEC);
    try {
      ring.registerFiles(pipe[0], -1);
      ring.updateFiles(1, other[1]);
      MemorySegment in = arena.allocate(16);
      ring.prepRead(0, in, 16, -1, 1);
      ring.flagLast(Sqe.FIXED_FILE);
      ring.prepWrite(1, text("via slot 1"), 10, -1, 2);
      ring.flagLast(Sqe.FIXED_FILE);
      LinuxFiles.write(pipe[1], text("via slot 0"), 10);

      Completions completions = new Completions();
      completions.await(ring, 2);
      assertThat(completions.of(1).res()).isEqualTo(10);
      assertThat(string(in, 10)).isEqualTo("via slot 0");
      assertThat(completions.of(2).res()).isEqualTo(10);
      MemorySegment check = arena.allocate(16);
      assertThat(LinuxFiles.read(other[0], check, 16)).isEqualTo(10);
      assertThat(string(check, 10)).isEqualTo("via slot 1");

      ring.unregisterFiles();
      ring.prepNop(3);
      ring.prepRead(0, in, 16, -1, 4);
      ring.flagLast(Sqe.FIXED_FILE);
      completions.clear();
      completions.await(ring, 2);
      assertThat(completions.of(4).res()).isEqualTo(-Errno.EBADF);
    } finally {
      LinuxFiles.close(other[0]);
      LinuxFiles.close(other[1]);
    }
  }

  @Test
  void fixedBuffersCarryReadsAndWrites() throws Exception {
    MemorySegment source = arena.allocate(4096, 4096);
    MemorySegment target = arena.allocate(4096, 4096);
    ring.registerBuffers(source, target);
    source.setString(0, "fixed buffer", StandardCharsets.US_ASCII);

    ring.prepWriteFixed(pipe[1], source, 12, -1, 0, 1);
    ring.prepReadFixed(pipe[0], target.asSlice(100), 12, -1, 1, 2);
    Completions completions = new Completions();
    completions.await(ring, 2);

    assertThat(completions.of(1).res()).isEqualTo(12);
    assertThat(completions.of(2).res()).isEqualTo(12);
    assertThat(string(target.asSlice(100), 12)).isEqualTo("fixed buffer");

    ring.unregisterBuffers();
    ring.prepWriteFixed(pipe[1], source, 12, -1, 0, 3);
    completions.clear();
    assertThat(completions.awaitOne(ring, 3).res()).isEqualTo(-Errno.EFAULT);
  }

  @Test
  void aMultishotReadFillsBuffersFromTheRingUntilTheyRunOut() throws Exception {
    BufferRing buffers = ring.registerBufferRing(7, 2, 32);
    ring.prepReadMultishot(pipe[0], buffers, 9);
    ring.submit();

    Completions completions = new Completions();
    LinuxFiles.write(pipe[1], text("first"), 5);
    completions.await(ring, 1);
    LinuxFiles.write(pipe[1], text("second"), 6);
    completions.await(ring, 2);
    LinuxFiles.write(pipe[1], text("third"), 5);
    completions.await(ring, 3);

    var first = completions.seen.get(0);
    var second = completions.seen.get(1);
    assertThat(first.res()).isEqualTo(5);
    assertThat(first.more()).isTrue();
    assertThat(Cqe.hasBuffer(first.flags())).isTrue();
    assertThat(string(buffers.buffer(Cqe.bufferId(first.flags())), 5)).isEqualTo("first");
    assertThat(string(buffers.buffer(Cqe.bufferId(second.flags())), 6)).isEqualTo("second");
    // Both buffers are out: the request ends with ENOBUFS instead of overwriting one.
    var third = completions.seen.get(2);
    assertThat(third.res()).isEqualTo(-Errno.ENOBUFS);
    assertThat(third.more()).isFalse();
    assertThat(ring.inFlight()).isZero();

    buffers.recycle(Cqe.bufferId(first.flags()));
    ring.prepReadMultishot(pipe[0], buffers, 10);
    assertThat(completions.awaitOne(ring, 10).res()).isEqualTo(5);
    assertThat(string(buffers.buffer(Cqe.bufferId(completions.of(10).flags())), 5))
        .isEqualTo("third");
  }

  @Test
  void aPollCompletesWithTheReadyEventsOnceTheFdIsReadable() throws Exception {
    ring.prepPollAdd(pipe[0], Sqe.POLLIN, false, 5);
    ring.submit();
    assertThat(Completions.now(ring)).isEmpty();

    LinuxFiles.write(pipe[1], text("x"), 1);
    Completions completions = new Completions();
    assertThat(completions.awaitOne(ring, 5).res() & Sqe.POLLIN).isEqualTo(Sqe.POLLIN);
  }

  @Test
  void anEventfdSignalCompletesAnArmedRead() throws Exception {
    try (EventFd wake = EventFd.open(0)) {
      MemorySegment counter = arena.allocate(8);
      ring.prepRead(wake.fd(), counter, 8, -1, 6);
      ring.submit();
      Thread.ofPlatform()
          .start(() -> {
            try {
              wake.signal();
            } catch (LinuxException e) {
              throw new IllegalStateException(e);
            }
          })
          .join();
      Completions completions = new Completions();
      assertThat(completions.awaitOne(ring, 6).res()).isEqualTo(8);
      assertThat(counter.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0)).isEqualTo(1);
    }
  }
}
