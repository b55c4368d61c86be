package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class TcpTest {
  private final Arena arena = Arena.ofShared();
  private final List<Integer> fds = new ArrayList<>();
  private Ring ring;
  private int listener;
  private InetSocketAddress listening;

  @BeforeEach
  void open() throws Exception {
    ring = Ring.open(RingOptions.singleIssuer(32));
    ring.adopt(arena);
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    listener = track(LinuxSockets.socketFor(any, LinuxSockets.SOCK_STREAM));
    LinuxSockets.setOption(listener, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_REUSEADDR, 1);
    LinuxSockets.bind(listener, any);
    LinuxSockets.listen(listener, 16);
    listening = LinuxSockets.localAddress(listener);
  }

  @AfterEach
  void close() throws Exception {
    ring.close();
    for (int fd : fds) {
      LinuxFiles.close(fd);
    }
  }

  private int track(int fd) {
    fds.add(fd);
    return fd;
  }

  private MemorySegment text(String text) {
    return arena.allocateFrom(text, StandardCharsets.US_ASCII);
  }

  private static String string(MemorySegment buffer, int length) {
    return new String(buffer.asSlice(0, length).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
  }

  @Test
  void acceptConnectRecvAndSendCarryBytesBothWays() throws Exception {
    MemorySegment peer = arena.allocate(SockAddr.STORAGE_SIZE);
    MemorySegment peerLength = arena.allocateFrom(JAVA_INT, SockAddr.STORAGE_SIZE);
    ring.prepAccept(listener, peer, peerLength, LinuxSockets.SOCK_CLOEXEC, 1);
    int client = track(LinuxSockets.socketFor(listening, LinuxSockets.SOCK_STREAM));
    MemorySegment target = arena.allocate(SockAddr.STORAGE_SIZE);
    int targetLength = SockAddr.write(target, listening);
    ring.prepConnect(client, target, targetLength, 2);

    Completions completions = new Completions();
    completions.await(ring, 2);
    assertThat(completions.of(2).res()).isZero();
    int accepted = track(completions.of(1).res());
    assertThat(accepted).isPositive();
    assertThat(SockAddr.read(peer)).isEqualTo(LinuxSockets.localAddress(client));

    LinuxSockets.setOption(accepted, LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_NODELAY, 1);
    MemorySegment in = arena.allocate(64);
    ring.prepRecv(accepted, in, 64, 0, 3);
    ring.prepSend(client, text("over tcp"), 8, LinuxSockets.MSG_NOSIGNAL, 4);
    completions.clear();
    completions.await(ring, 2);
    assertThat(completions.of(4).res()).isEqualTo(8);
    assertThat(completions.of(3).res()).isEqualTo(8);
    assertThat(string(in, 8)).isEqualTo("over tcp");

    MemorySegment back = arena.allocate(64);
    ring.prepRecv(client, back, 64, 0, 5);
    ring.prepSendZc(accepted, text("zero copy"), 9, 0, 6);
    completions.clear();
    completions.await(ring, 3);
    assertThat(completions.of(5).res()).isEqualTo(9);
    assertThat(string(back, 9)).isEqualTo("zero copy");
    var zc = completions.all(6);
    assertThat(zc).hasSize(2);
    assertThat(zc.get(0).res()).isEqualTo(9);
    assertThat(zc.get(0).more()).isTrue();
    assertThat(Cqe.isNotification(zc.get(1).flags())).isTrue();
    assertThat(ring.inFlight()).isZero();
  }

  @Test
  void multishotRecvDeliversEachArrivalInAProvidedBufferUntilThePeerCloses() throws Exception {
    int client = LinuxSockets.socketFor(listening, LinuxSockets.SOCK_STREAM);
    LinuxSockets.connect(client, listening);
    ring.prepAccept(listener, MemorySegment.NULL, MemorySegment.NULL, 0, 1);
    Completions completions = new Completions();
    int accepted = track(completions.awaitOne(ring, 1).res());
    BufferRing buffers = ring.registerBufferRing(5, 4, 64);
    ring.prepRecvMultishot(accepted, buffers, 0, 2);
    ring.submit();

    for (String chunk : List.of("one", "two")) {
      LinuxFiles.write(client, text(chunk), 3);
      var received = completions.awaitAll(ring, 2, chunk.equals("one") ? 1 : 2).getLast();
      assertThat(received.res()).isEqualTo(3);
      assertThat(received.more()).isTrue();
      int id = Cqe.bufferId(received.flags());
      assertThat(string(buffers.buffer(id), 3)).isEqualTo(chunk);
      buffers.recycle(id);
    }
    LinuxFiles.close(client);
    var end = completions.awaitAll(ring, 2, 3).getLast();
    assertThat(end.res()).isZero();
    assertThat(end.more()).isFalse();
  }

  @Test
  void multishotAcceptStaysArmedAcrossConnections() throws Exception {
    ring.prepAcceptMultishot(listener, LinuxSockets.SOCK_CLOEXEC, 9);
    ring.submit();
    for (int i = 0; i < 3; i++) {
      int client = track(LinuxSockets.socketFor(listening, LinuxSockets.SOCK_STREAM));
      LinuxSockets.connect(client, listening);
    }
    Completions completions = new Completions();
    completions.await(ring, 3);
    assertThat(completions.all(9)).hasSize(3);
    for (var accepted : completions.all(9)) {
      assertThat(accepted.res()).isPositive();
      assertThat(accepted.more()).isTrue();
      track(accepted.res());
    }
    assertThat(ring.inFlight()).isEqualTo(1);

    ring.prepCancel(9, 10);
    completions.clear();
    completions.await(ring, 2);
    assertThat(completions.of(10).res()).isZero();
    assertThat(completions.of(9).res()).isEqualTo(-Errno.ECANCELED);
    assertThat(completions.of(9).more()).isFalse();
    assertThat(ring.inFlight()).isZero();
  }
}
