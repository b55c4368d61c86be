package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class UdpTest {
  private static final int LOOPBACK = 0x7f000001;
  private final Arena arena = Arena.ofShared();
  private Ring ring;
  private int server;
  private int client;
  private InetSocketAddress serverAddress;

  @BeforeEach
  void open() throws Exception {
    ring = Ring.open(RingOptions.singleIssuer(32));
    ring.adopt(arena);
    server = udpOn(new InetSocketAddress("127.0.0.1", 0));
    LinuxSockets.setOption(server, LinuxSockets.IPPROTO_IP, LinuxSockets.IP_PKTINFO, 1);
    serverAddress = LinuxSockets.localAddress(server);
    client = udpOn(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void close() throws Exception {
    ring.close();
    LinuxFiles.close(server);
    LinuxFiles.close(client);
  }

  private static int udpOn(InetSocketAddress address) throws LinuxException {
    int fd = LinuxSockets.socketFor(address, LinuxSockets.SOCK_DGRAM);
    LinuxSockets.bind(fd, address);
    return fd;
  }

  private MemorySegment text(String text) {
    return arena.allocateFrom(text, StandardCharsets.US_ASCII);
  }

  private static String string(MemorySegment memory, long offset, int length) {
    return new String(memory.asSlice(offset, length).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
  }

  @Test
  void recvmsgReportsPeerAndPktinfoAndSendmsgRepliesFromThatAddress() throws Exception {
    Msghdr request = Msghdr.allocate(arena, Msghdr.PKTINFO_CONTROL);
    MemorySegment in = arena.allocate(1500);
    request.armReceive(in, 1500);
    ring.prepRecvmsg(server, request, 0, 1);

    Msghdr outgoing = Msghdr.allocate(arena, 0);
    outgoing.setPeer(serverAddress);
    outgoing.armSend(text("ping"), 4);
    ring.prepSendmsg(client, outgoing, 0, 2);

    Completions completions = new Completions();
    completions.await(ring, 2);
    assertThat(completions.of(2).res()).isEqualTo(4);
    assertThat(completions.of(1).res()).isEqualTo(4);
    assertThat(string(in, 0, 4)).isEqualTo("ping");
    assertThat(request.peer()).isEqualTo(LinuxSockets.localAddress(client));
    assertThat(request.pktinfoDestination()).isEqualTo(LOOPBACK);
    assertThat(request.pktinfoInterface()).isPositive();

    Msghdr reply = Msghdr.allocate(arena, Msghdr.PKTINFO_CONTROL);
    reply.copyPeerFrom(request);
    reply.setSourcePktinfo(0, request.pktinfoDestination());
    reply.armSend(text("pong"), 4);
    ring.prepSendmsg(server, reply, 0, 3);
    Msghdr answer = Msghdr.allocate(arena, 0);
    MemorySegment back = arena.allocate(64);
    answer.armReceive(back, 64);
    ring.prepRecvmsg(client, answer, 0, 4);

    completions.clear();
    completions.await(ring, 2);
    assertThat(completions.of(3).res()).isEqualTo(4);
    assertThat(completions.of(4).res()).isEqualTo(4);
    assertThat(string(back, 0, 4)).isEqualTo("pong");
    assertThat(answer.peer()).isEqualTo(serverAddress);
  }

  @Test
  void multishotRecvmsgFillsProvidedBuffersAndEndsWithEnobufsWhenTheyRunOut() throws Exception {
    BufferRing buffers = ring.registerBufferRing(3, 4, 256);
    Msghdr template = Msghdr.allocate(arena, Msghdr.PKTINFO_CONTROL);
    template.armMultishotTemplate(SockAddr.IN_SIZE);
    ring.prepRecvmsgMultishot(server, template, buffers, 0, 77);
    ring.submit();

    Msghdr outgoing = Msghdr.allocate(arena, 0);
    outgoing.setPeer(serverAddress);
    Completions completions = new Completions();
    for (int i = 0; i < 6; i++) {
      outgoing.armSend(text("datagram " + i), 10);
      ring.prepSendmsg(client, outgoing, 0, 100 + i);
      assertThat(completions.awaitOne(ring, 100 + i).res()).isEqualTo(10);
    }

    var received = completions.awaitAll(ring, 77, 5);
    assertThat(received).hasSize(5);
    for (int i = 0; i < 4; i++) {
      var completion = received.get(i);
      assertThat(completion.more()).isTrue();
      long buffer = buffers.offset(Cqe.bufferId(completion.flags()));
      long payload = buffer + MultishotRecvmsg.payloadOffset(template);
      int length = MultishotRecvmsg.payloadLength(buffers.buffers(), buffer);
      assertThat(string(buffers.buffers(), payload, length)).isEqualTo("datagram " + i);
      assertThat(MultishotRecvmsg.peerPort(buffers.buffers(), buffer))
          .isEqualTo(LinuxSockets.localAddress(client).getPort());
      assertThat(MultishotRecvmsg.peer(buffers.buffers(), buffer))
          .isEqualTo(LinuxSockets.localAddress(client));
      assertThat(MultishotRecvmsg.pktinfoDestination(buffers.buffers(), buffer, template))
          .isEqualTo(LOOPBACK);
    }
    assertThat(received.get(4).res()).isEqualTo(-Errno.ENOBUFS);
    assertThat(received.get(4).more()).isFalse();

    // Giving buffers back and re-arming delivers what waited in the socket: nothing was lost.
    for (int i = 0; i < 4; i++) {
      buffers.add(Cqe.bufferId(received.get(i).flags()));
    }
    buffers.advance();
    ring.prepRecvmsgMultishot(server, template, buffers, 0, 78);
    completions.clear();
    assertThat(completions.awaitAll(ring, 78, 2))
        .extracting(c -> {
          long buffer = buffers.offset(Cqe.bufferId(c.flags()));
          return string(
              buffers.buffers(),
              buffer + MultishotRecvmsg.payloadOffset(template),
              MultishotRecvmsg.payloadLength(buffers.buffers(), buffer));
        })
        .containsExactly("datagram 4", "datagram 5");
  }
}
