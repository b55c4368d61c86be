package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class CancelTest {
  private int[] pipe;

  @BeforeEach
  void open() throws Exception {
    pipe = LinuxFiles.pipe(LinuxFiles.O_CLOEXEC);
  }

  @AfterEach
  void close() throws Exception {
    LinuxFiles.close(pipe[0]);
    LinuxFiles.close(pipe[1]);
  }

  @Test
  void aCancelledReadCompletesWithEcanceledAndStaysInFlightUntilThen() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8));
        Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(64);
      ring.prepRead(pipe[0], buffer, 64, -1, 1);
      ring.submit();
      assertThat(ring.inFlight()).isEqualTo(1);

      ring.prepCancel(1, 2);
      Completions completions = new Completions();
      completions.awaitOne(ring, 2);
      assertThat(completions.of(2).res()).isZero();
      completions.awaitOne(ring, 1);
      assertThat(completions.of(1).res()).isEqualTo(-Errno.ECANCELED);
      assertThat(ring.inFlight()).isZero();
    }
  }

  @Test
  void closingTheRingCancelsAndReapsArmedReadsBeforeFreeingAdoptedMemory() throws Exception {
    Arena arena = Arena.ofShared();
    Ring ring = Ring.open(RingOptions.of(8));
    ring.adopt(arena);
    for (long i = 0; i < 4; i++) {
      ring.prepRead(pipe[0], arena.allocate(64), 64, -1, i);
    }
    ring.submit();
    assertThat(ring.inFlight()).isEqualTo(4);

    ring.close();

    assertThat(ring.inFlight()).isZero();
    assertThat(arena.scope().isAlive()).isFalse();
    // The pipe shows no reader consumed anything: the reads were cancelled, not left to run.
    MemorySegment probe = Arena.ofAuto().allocateFrom("x");
    LinuxFiles.write(pipe[1], probe, 1);
    LinuxFiles.setNonBlocking(pipe[0], true);
    assertThat(LinuxFiles.read(pipe[0], Arena.ofAuto().allocate(4), 4)).isEqualTo(1);
  }

  @Test
  void closingStillCancelsArmedReadsWhenMsgRingCompletionsUnderstateTheCount() throws Exception {
    try (Ring sender = Ring.open(RingOptions.of(4))) {
      Ring receiver = Ring.open(RingOptions.of(8));
      Arena arena = receiver.adopt(Arena.ofShared());
      receiver.prepRead(pipe[0], arena.allocate(64), 64, -1, 1);
      receiver.submit();
      sender.prepMsgRing(receiver.fd(), 0, 2, 3);
      sender.prepMsgRing(receiver.fd(), 0, 4, 5);
      new Completions().await(sender, 2);
      new Completions().await(receiver, 2);
      assertThat(receiver.inFlight()).isNegative();

      receiver.close();

      // Reaped during close: the cancelled read's completion and the sweeps' own.
      assertThat(receiver.cqesReaped()).isGreaterThanOrEqualTo(2 + 1 + 1);
      assertThat(arena.scope().isAlive()).isFalse();
      LinuxFiles.write(pipe[1], Arena.ofAuto().allocateFrom("x"), 1);
      LinuxFiles.setNonBlocking(pipe[0], true);
      assertThat(LinuxFiles.read(pipe[0], Arena.ofAuto().allocate(4), 4)).isEqualTo(1);
    }
  }

  @Test
  void cancellingByFdCancelsEveryRequestOnIt() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(8))) {
      Arena arena = ring.adopt(Arena.ofShared());
      ring.prepRead(pipe[0], arena.allocate(8), 8, -1, 1);
      ring.prepRead(pipe[0], arena.allocate(8), 8, -1, 2);
      ring.prepPollAdd(pipe[0], Sqe.POLLIN, true, 3);
      ring.submit();

      ring.prepCancelFd(pipe[0], 4);
      Completions completions = new Completions();
      completions.await(ring, 4);
      assertThat(completions.of(4).res()).isEqualTo(3);
      assertThat(completions.of(1).res()).isEqualTo(-Errno.ECANCELED);
      assertThat(completions.of(2).res()).isEqualTo(-Errno.ECANCELED);
      assertThat(completions.of(3).res()).isEqualTo(-Errno.ECANCELED);
    }
  }

  @Test
  void cancellingAllCancelsRequestsOnEveryFd() throws Exception {
    int[] other = LinuxFiles.pipe(LinuxFiles.O_CLOEXEC);
    try (Ring ring = Ring.open(RingOptions.of(8))) {
      Arena arena = ring.adopt(Arena.ofShared());
      ring.prepRead(pipe[0], arena.allocate(8), 8, -1, 1);
      ring.prepRead(other[0], arena.allocate(8), 8, -1, 2);
      ring.prepTimeout(60_000_000_000L, 0, 0, 3);
      ring.submit();

      ring.prepCancelAll(4);
      Completions completions = new Completions();
      completions.await(ring, 4);
      assertThat(completions.of(4).res()).isEqualTo(3);
      assertThat(completions.seen)
          .filteredOn(c -> c.userData() != 4)
          .allSatisfy(c -> assertThat(c.res()).isEqualTo(-Errno.ECANCELED));
    } finally {
      LinuxFiles.close(other[0]);
      LinuxFiles.close(other[1]);
    }
  }

  @Test
  void cancellingAnUnknownRequestIsEnoent() throws Exception {
    try (Ring ring = Ring.open(RingOptions.of(4))) {
      ring.prepCancel(12345, 1);
      assertThat(new Completions().awaitOne(ring, 1).res()).isEqualTo(-Errno.ENOENT);
    }
  }
}
