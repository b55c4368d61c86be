package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class LinuxCallsTest {
  @Test
  void socketBufferSizesAreSetAndReadBack() throws Exception {
    int fd = LinuxSockets.socket(SockAddr.AF_INET, LinuxSockets.SOCK_DGRAM, 0);
    try {
      LinuxSockets.setOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF, 65536);
      LinuxSockets.setOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_SNDBUF, 65536);
      // Linux doubles the value to account for its bookkeeping.
      assertThat(LinuxSockets.option(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF))
          .isEqualTo(131072);
      assertThat(LinuxSockets.option(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_SNDBUF))
          .isEqualTo(131072);
      LinuxSockets.setOption(fd, LinuxSockets.IPPROTO_IP, LinuxSockets.IP_PKTINFO, 1);
      assertThat(LinuxSockets.option(fd, LinuxSockets.IPPROTO_IP, LinuxSockets.IP_PKTINFO))
          .isEqualTo(1);
    } finally {
      LinuxFiles.close(fd);
    }
  }

  @Test
  void tcpNoDelayIsSetAndReadBack() throws Exception {
    int fd = LinuxSockets.socket(SockAddr.AF_INET, LinuxSockets.SOCK_STREAM, 0);
    try {
      assertThat(LinuxSockets.option(fd, LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_NODELAY))
          .isZero();
      LinuxSockets.setOption(fd, LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_NODELAY, 1);
      assertThat(LinuxSockets.option(fd, LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_NODELAY))
          .isEqualTo(1);
    } finally {
      LinuxFiles.close(fd);
    }
  }

  @Test
  void blockingModeIsFlippedWithFcntl() throws Exception {
    int[] pipe = LinuxFiles.pipe(LinuxFiles.O_CLOEXEC);
    try {
      assertThat(LinuxFiles.isNonBlocking(pipe[0])).isFalse();
      LinuxFiles.setNonBlocking(pipe[0], true);
      assertThat(LinuxFiles.isNonBlocking(pipe[0])).isTrue();
      assertThatThrownBy(() -> LinuxFiles.read(pipe[0], Arena.ofAuto().allocate(1), 1))
          .isInstanceOfSatisfying(
              LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EAGAIN"));
      LinuxFiles.setNonBlocking(pipe[0], false);
      assertThat(LinuxFiles.isNonBlocking(pipe[0])).isFalse();
    } finally {
      LinuxFiles.close(pipe[0]);
      LinuxFiles.close(pipe[1]);
    }
  }

  @Test
  void anEventfdCountsSignalsUntilRead() throws Exception {
    try (EventFd eventFd = EventFd.open(EventFd.EFD_NONBLOCK)) {
      eventFd.signal();
      eventFd.signal();
      assertThat(eventFd.read()).isEqualTo(2);
      assertThatThrownBy(eventFd::read)
          .isInstanceOfSatisfying(
              LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EAGAIN"));
    }
  }

  @Test
  void bindingATakenPortNamesEaddrinuseAndTheAddress() throws Exception {
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    int first = LinuxSockets.socketFor(any, LinuxSockets.SOCK_DGRAM);
    int second = LinuxSockets.socketFor(any, LinuxSockets.SOCK_DGRAM);
    try {
      LinuxSockets.bind(first, any);
      InetSocketAddress taken = LinuxSockets.localAddress(first);
      assertThat(taken.getPort()).isPositive();
      assertThatThrownBy(() -> LinuxSockets.bind(second, taken))
          .isInstanceOf(LinuxException.class)
          .hasMessageStartingWith("bind " + taken + ": EADDRINUSE");
    } finally {
      LinuxFiles.close(first);
      LinuxFiles.close(second);
    }
  }

  @Test
  void heapMemoryIsRefusedForKernelBuffers() {
    MemorySegment heap = MemorySegment.ofArray(new byte[16]);
    assertThatThrownBy(() -> Ring.address(heap, 16)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void memoryOfAClosedArenaIsRefusedForKernelBuffers() {
    Arena arena = Arena.ofConfined();
    MemorySegment buffer = arena.allocate(16);
    arena.close();
    assertThatThrownBy(() -> Ring.address(buffer, 16)).isInstanceOf(IllegalStateException.class);
  }
}
