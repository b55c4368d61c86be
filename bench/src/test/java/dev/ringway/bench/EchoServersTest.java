package dev.ringway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ringway.testkit.KernelTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every server the echo benchmark compares really echoes, byte for byte, and the benchmark's client
 * keeps a window flowing through it. Not timed: the benchmarks measure speed.
 */
class EchoServersTest {

  @Test
  void jdkChannelEchoes() throws Exception {
    assertEchoes(EchoServer.Kind.JDK_CHANNEL);
  }

  @Test
  void nettyEpollEchoes() throws Exception {
    assertEchoes(EchoServer.Kind.NETTY_EPOLL);
  }

  @Test
  @KernelTest
  void nettyIoUringEchoes() throws Exception {
    assertEchoes(EchoServer.Kind.NETTY_IO_URING);
  }

  @Test
  @KernelTest
  void ringwayLoopEchoes() throws Exception {
    assertEchoes(EchoServer.Kind.RINGWAY);
  }

  @Test
  @KernelTest
  void ringwayLoopWithoutDeferredTaskRunEchoes() throws Exception {
    assertEchoes(EchoServer.Kind.RINGWAY_NO_DEFER_TASKRUN);
  }

  private static void assertEchoes(EchoServer.Kind kind) throws Exception {
    try (EchoServer server = kind.start()) {
      byte[] sent = new byte[UdpEchoBenchmark.PAYLOAD_BYTES];
      for (int i = 0; i < sent.length; i++) {
        sent[i] = (byte) (i * 7 + kind.ordinal());
      }
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.setSoTimeout(2_000);
        socket.send(new DatagramPacket(sent, sent.length, server.address()));
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        socket.receive(reply);
        assertThat(reply.getLength()).isEqualTo(sent.length);
        assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(sent);
      }
      try (EchoClient client = new EchoClient(server.address(), UdpEchoBenchmark.PAYLOAD_BYTES)) {
        client.fill(8);
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> {
              for (int i = 0; i < 1_000; i++) {
                assertThat(client.echo()).isEqualTo(UdpEchoBenchmark.PAYLOAD_BYTES);
              }
            },
            "1000 echoes through a window of 8");
      }
    }
  }
}
