package dev.ringway.loop.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.loop.PathName;
import dev.ringway.loop.PathStats;
import dev.ringway.loop.TxPool;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.KernelTest;
import dev.ringway.testkit.LoopThread;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.RingOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loop driving a UDP source that echoes every datagram, against a real socket. */
@KernelTest
class UdpEchoLoopTest {
  private static final int RX = 8;
  private static final int TX = 9;

  private EventLoop loop;
  private UdpSource udp;
  private TxPool pool;
  private LoopThread thread;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    int fd = LinuxSockets.socketFor(new InetSocketAddress("127.0.0.1", 0), LinuxSockets.SOCK_DGRAM);
    LinuxSockets.bind(fd, new InetSocketAddress("127.0.0.1", 0));
    address = LinuxSockets.localAddress(fd);
    loop = new EventLoop(RingOptions.singleIssuer(256), 20_000_000L, 100_000_000L);
    pool = new TxPool(64);
    udp = new UdpSource(fd, 4, pool, RX, TX, this::echo);
    udp.registerOn(loop);
    thread = LoopThread.start("test-loop", loop::run, loop.started(), loop::stop);
  }

  private void echo(ByteBuffer view, int length, InetSocketAddress from, int localIpv4) {
    TxPool.Slot slot = pool.acquire();
    if (slot == null) {
      loop.counters(PathName.UDP_TX).slotExhausted();
      return;
    }
    slot.view().put(0, view, 0, length);
    udp.sendTo(slot, length, from, 0);
  }

  @AfterEach
  void stop() throws Exception {
    thread.close();
  }

  @Test
  void echoesEveryDatagramAndCountsIt() throws Exception {
    Set<Integer> echoed = exchange(0, 200);

    assertThat(echoed).hasSize(200);
    Await.until(
        "a snapshot counting 200 datagrams each way",
        Duration.ofSeconds(5),
        () ->
            loop.snapshot().path(PathName.UDP_RX).packets() == 200
                && loop.snapshot().path(PathName.UDP_TX).packets() == 200);
    PathStats rx = loop.snapshot().path(PathName.UDP_RX);
    assertThat(rx.bytes()).isEqualTo(200L * 64);
    assertThat(rx.slots()).isEqualTo(4);
    assertThat(rx.eagain()).as("a blocking socket never reports EAGAIN").isZero();
  }

  @Test
  void commandsRunOnTheLoopThread() throws Exception {
    String name = loop.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
    assertThat(name).isEqualTo("test-loop");
  }

  @Test
  void resizingReceiveSlotsLiveLosesNothing() throws Exception {
    assertThat(exchange(0, 50)).hasSize(50);

    loop.call(
            () -> {
              udp.resize(16);
              return null;
            })
        .get(5, TimeUnit.SECONDS);
    assertThat(exchange(50, 50)).hasSize(50);

    loop.call(
            () -> {
              udp.resize(1);
              return null;
            })
        .get(5, TimeUnit.SECONDS);
    assertThat(exchange(100, 50)).hasSize(50);

    Await.until(
        "the snapshot to show one slot",
        Duration.ofSeconds(5),
        () -> loop.snapshot().path(PathName.UDP_RX).slots() == 1);
    Await.until(
        "only one receive left in flight",
        Duration.ofSeconds(5),
        () -> loop.snapshot().path(PathName.UDP_RX).inFlight() == 1);
    assertThat(loop.snapshot().path(PathName.UDP_RX).canceled()).isEqualTo(15);
  }

  @Test
  void ringResizesInPlaceWhileDatagramsFlow() throws Exception {
    assertThat(exchange(0, 20)).hasSize(20);

    boolean inPlace = loop.call(() -> loop.resizeRing(512)).get(5, TimeUnit.SECONDS);

    assertThat(inPlace).as("6.13+ kernels resize a DEFER_TASKRUN ring in place").isTrue();
    assertThat(exchange(20, 20)).hasSize(20);
    Await.until(
        "the snapshot to show 512 entries",
        Duration.ofSeconds(5),
        () -> loop.snapshot().ring().entries() == 512);
    assertThat(loop.snapshot().ring().generation()).isZero();
  }

  @Test
  void migratingToSqpollAndBackKeepsEveryReadArmed() throws Exception {
    assertThat(exchange(0, 20)).hasSize(20);

    loop.call(
            () -> {
              loop.migrate(RingOptions.of(128).withSqpoll(20));
              return null;
            })
        .get(5, TimeUnit.SECONDS);
    assertThat(exchange(20, 20)).hasSize(20);
    loop.call(
            () -> {
              loop.migrate(RingOptions.singleIssuer(256));
              return null;
            })
        .get(5, TimeUnit.SECONDS);
    assertThat(exchange(40, 20)).hasSize(20);

    Await.until(
        "two migrations, four receives armed on the new ring",
        Duration.ofSeconds(5),
        () ->
            loop.snapshot().ring().generation() == 2
                && loop.snapshot().path(PathName.UDP_RX).inFlight() == 4);
    String name = loop.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
    assertThat(name).as("commands still reach the loop after migrating").isEqualTo("test-loop");
  }

  /** Sends {@code count} numbered datagrams one at a time and returns the numbers echoed back. */
  private Set<Integer> exchange(int first, int count) throws Exception {
    Set<Integer> echoed = new HashSet<>();
    try (DatagramSocket client = new DatagramSocket()) {
      client.setSoTimeout(2000);
      byte[] in = new byte[128];
      for (int i = first; i < first + count; i++) {
        byte[] out = ByteBuffer.allocate(64).putInt(i).array();
        client.send(new DatagramPacket(out, out.length, address));
        DatagramPacket reply = new DatagramPacket(in, in.length);
        try {
          client.receive(reply);
        } catch (SocketTimeoutException e) {
          continue;
        }
        if (reply.getLength() == 64) {
          echoed.add(ByteBuffer.wrap(in).getInt(0));
        }
      }
    }
    return echoed;
  }
}
