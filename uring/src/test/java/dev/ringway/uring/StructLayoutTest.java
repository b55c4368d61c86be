package dev.ringway.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class StructLayoutTest {
  @Test
  void submissionEntryIs64Bytes() {
    assertThat(Layouts.SQE.byteSize()).isEqualTo(64);
    assertThat(Layouts.SQE_USER_DATA).isEqualTo(32);
    assertThat(Layouts.SQE_BUF_INDEX).isEqualTo(40);
  }

  @Test
  void completionEntryIs16Bytes() {
    assertThat(Layouts.CQE.byteSize()).isEqualTo(16);
  }

  @Test
  void setupParametersAre120Bytes() {
    assertThat(Layouts.PARAMS.byteSize()).isEqualTo(120);
    assertThat(Layouts.P_SQ_OFF).isEqualTo(40);
    assertThat(Layouts.P_CQ_OFF).isEqualTo(80);
  }

  @Test
  void socketStructuresHaveTheirAbiSizes() {
    assertThat(Layouts.MSGHDR.byteSize()).isEqualTo(56);
    assertThat(Layouts.IOVEC.byteSize()).isEqualTo(16);
    assertThat(Layouts.IFREQ.byteSize()).isEqualTo(40);
    assertThat(Layouts.BUF.byteSize()).isEqualTo(16);
    assertThat(Layouts.BUF_REG.byteSize()).isEqualTo(40);
    assertThat(Layouts.RECVMSG_OUT.byteSize()).isEqualTo(16);
  }

  @Test
  @KernelTest
  void kernelLaysOutTheCompletionQueueIn16ByteEntries() throws Exception {
    // The kernel reports where the CQE array starts and how big the rings are; a 16-byte CQE is
    // what makes a NOP's completion land exactly where the ring's arithmetic expects it.
    try (Ring ring = Ring.open(RingOptions.of(4))) {
      for (long i = 0; i < 3; i++) {
        assertThat(ring.prepNop(100 + i)).isTrue();
      }
      Completions completions = new Completions();
      completions.await(ring, 3);
      assertThat(completions.seen)
          .extracting(Completions.Completion::userData)
          .containsExactly(100L, 101L, 102L);
    }
  }

  @Test
  void sockaddrRoundTripsIpv4AndIpv6() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sockaddr = arena.allocate(SockAddr.STORAGE_SIZE);
      var v4 = new java.net.InetSocketAddress("127.0.0.1", 27690);
      assertThat(SockAddr.write(sockaddr, v4)).isEqualTo(16);
      assertThat(SockAddr.read(sockaddr)).isEqualTo(v4);
      assertThat(SockAddr.port(sockaddr)).isEqualTo(27690);
      assertThat(SockAddr.ipv4(sockaddr)).isEqualTo(0x7f000001);
      assertThat(sockaddr.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) (27690 >> 8));
      var v6 = new java.net.InetSocketAddress("::1", 443);
      assertThat(SockAddr.write(sockaddr, v6)).isEqualTo(28);
      assertThat(SockAddr.read(sockaddr)).isEqualTo(v6);
    }
  }
}
