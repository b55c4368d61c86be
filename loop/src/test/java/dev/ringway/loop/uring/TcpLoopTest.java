package dev.ringway.loop.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.StreamAcceptor;
import dev.ringway.loop.StreamHandler;
import dev.ringway.loop.StreamSender;
import dev.ringway.loop.TxPool;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.KernelTest;
import dev.ringway.testkit.LoopThread;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.RingOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP listener and streams on a real loop against real loopback sockets: every stream echoes
 * what it receives unless a test switches echoing off and drives the stream itself.
 */
@KernelTest
class TcpLoopTest {
  private static final int ACCEPT = 8;
  private static final int RX = 9;
  private static final int TX = 10;
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** What the test attaches to each stream. */
  static final class Peer {
    volatile long id = -1;
    volatile InetSocketAddress address;
    volatile Integer endedWith;
    volatile boolean released;
    volatile int fdAtRelease = -1;
    volatile int rxInFlightAtRelease = -1;
    volatile int txInFlightAtRelease = -1;
  }

  private final List<Peer> peers = new CopyOnWriteArrayList<>();
  private final Map<Integer, SocketChannel> clients = new ConcurrentHashMap<>();
  private final List<SocketChannel> opened = new ArrayList<>();
  private volatile boolean echo = true;
  private EventLoop loop;
  private TxPool pool;
  private TcpStreamSource<Peer> streams;
  private TcpListenerSource<Peer> listener;
  private LoopThread thread;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    int fd = LinuxSockets.socketFor(any, LinuxSockets.SOCK_STREAM);
    LinuxSockets.setOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_REUSEADDR, 1);
    LinuxSockets.bind(fd, any);
    LinuxSockets.listen(fd, 64);
    address = LinuxSockets.localAddress(fd);
    loop = new EventLoop(RingOptions.singleIssuer(256), 20_000_000L, 50_000_000L);
    pool = new TxPool(128);
    streams = new TcpStreamSource<>(pool, RX, TX, 256 * 1024, new Handler());
    listener = new TcpListenerSource<>(fd, ACCEPT, 8, streams, new Acceptor());
    listener.registerOn(loop);
    streams.registerOn(loop);
    thread = LoopThread.start("tcp-test-loop", loop::run, loop.started(), loop::stop);
  }

  @AfterEach
  void stop() throws Exception {
    for (SocketChannel client : opened) {
      client.close();
    }
    thread.close();
  }

  private final class Acceptor implements StreamAcceptor<Peer> {
    @Override
    public Peer accepted(InetSocketAddress from) {
      Peer peer = new Peer();
      peer.address = from;
      return peer;
    }

    @Override
    public void opened(Peer peer, long id) {
      peer.id = id;
      peers.add(peer);
    }
  }

  private final class Handler implements StreamHandler<Peer> {
    @Override
    public void received(Peer peer, ByteBuffer view, int length) {
      if (echo && !streams.send(peer.id, view)) {
        streams.abort(peer.id);
      }
    }

    @Override
    public void ended(Peer peer, int cause) {
      peer.endedWith = cause;
    }

    @Override
    public void released(Peer peer) {
      peer.fdAtRelease = streams.fd(peer.id);
      peer.rxInFlightAtRelease = loop.counters(PathName.TCP_RX).inFlight();
      peer.txInFlightAtRelease = loop.counters(PathName.TCP_TX).inFlight();
      peer.released = true;
    }
  }

  // ------------------------------------------------------------------ specifications

  @Test
  void manyConnectionsAreAcceptedAndEachEchoesItsOwnBytes() throws Exception {
    List<SocketChannel> many = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      many.add(connect());
    }
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < many.size(); i++) {
        write(many.get(i), pattern(i * 1000 + round, 700));
      }
      for (int i = 0; i < many.size(); i++) {
        assertThat(read(many.get(i), 700)).isEqualTo(pattern(i * 1000 + round, 700));
      }
    }

    Await.until(
        "8 accepted and every byte counted",
        WAIT,
        () -> {
          LoopSnapshot s = loop.snapshot();
          return s.path(PathName.TCP_ACCEPT).packets() == 8
              && s.path(PathName.TCP_RX).bytes() == 8 * 20 * 700
              && s.path(PathName.TCP_TX).bytes() == 8 * 20 * 700;
        });
    assertThat(peers)
        .allSatisfy(p -> assertThat(p.address.getAddress().isLoopbackAddress()).isTrue());
    assertThat(peers.stream().map(p -> p.address.getPort()))
        .containsExactlyInAnyOrderElementsOf(many.stream().map(c -> localPort(c)).toList());
  }

  @Test
  void largeChunksSpanManySlotsAndLeaveInOrder() throws Exception {
    echo = false;
    SocketChannel client = connect();
    Peer peer = onlyPeer();
    int[] sizes = {100, 70_000, 3, 2048, 2049, 30_000, 1};
    int total = 0;
    for (int size : sizes) {
      int offset = total;
      boolean taken = onLoop(() -> streams.send(peer.id, ByteBuffer.wrap(pattern(offset, size))));
      assertThat(taken).as("chunk of %d bytes queued", size).isTrue();
      total += size;
    }

    byte[] all = read(client, total);

    assertThat(all).isEqualTo(pattern(0, total));
    assertThat(onLoop(() -> streams.queuedBytes(peer.id))).isZero();
    Await.until("every slot back in the pool", WAIT, () -> pool.free() == pool.size());
  }

  @Test
  void shortSendsContinueWhereTheyStoppedUnderAFullSocket() throws Exception {
    echo = false;
    onLoop(() -> {
      streams.setSocketBuffer(16 * 1024);
      return null;
    });
    SocketChannel client = connect(1024);
    Peer peer = onlyPeer();
    int total = 1 << 20;
    int chunk = 1500;
    int[] queued = {0};
    ByteBuffer received = ByteBuffer.allocate(total);
    ByteBuffer some = ByteBuffer.allocate(8192);
    while (received.hasRemaining()) {
      // Fill until the socket is stuck (bytes still queued and a send still in flight when the
      // next command runs): the send that fills the socket takes only what fits.
      boolean stuck =
          onLoop(() -> {
            boolean before =
                streams.queuedBytes(peer.id) > 0 && loop.counters(PathName.TCP_TX).inFlight() == 1;
            while (queued[0] < total && streams.hasRoom(peer.id, chunk)) {
              int size = Math.min(chunk, total - queued[0]);
              assertThat(streams.send(peer.id, ByteBuffer.wrap(pattern(queued[0], size)))).isTrue();
              queued[0] += size;
            }
            return before;
          });
      if (stuck || queued[0] == total) {
        some.clear().limit(Math.min(some.capacity(), received.remaining()));
        client.read(some);
        received.put(some.flip());
      }
    }

    assertThat(received.array()).isEqualTo(pattern(0, total));
    assertThat(onLoop(() -> streams.partialSends()))
        .as("a full socket took part of a slot at least once")
        .isPositive();
    assertThat(onLoop(() -> streams.refused())).as("hasRoom kept every send acceptable").isZero();
  }

  @Test
  void aChunkPastTheBoundIsRefusedWholeAndCounted() throws Exception {
    echo = false;
    onLoop(() -> {
      streams.setSocketBuffer(8 * 1024);
      return null;
    });
    connect();
    Peer peer = onlyPeer();

    boolean small = onLoop(() -> streams.send(peer.id, ByteBuffer.wrap(pattern(0, 6000))));
    boolean tooMuch = onLoop(() -> streams.hasRoom(peer.id, 10_000));
    boolean refused = onLoop(() -> streams.send(peer.id, ByteBuffer.wrap(pattern(0, 10_000))));

    assertThat(small).isTrue();
    assertThat(tooMuch).isFalse();
    assertThat(refused).isFalse();
    Await.until(
        "the refusal counted on tcp.tx",
        WAIT,
        () -> loop.snapshot().path(PathName.TCP_TX).slotExhausted() == 1);
  }

  @Test
  void peersThatStopReadingLeaveThePoolsLastEighthToOthers() throws Exception {
    echo = false;
    List<Peer> stalled = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      connect(1024);
      stalled.add(peers.get(i));
    }
    // Each stream may queue 256 KiB (128 slots), the pool has 128: without the reserve, the first
    // stalled peer alone would empty it.
    Await.until(
        "inside data refused everywhere",
        WAIT,
        () -> {
          try {
            return onLoop(() -> {
              boolean anyTaken = false;
              for (Peer peer : stalled) {
                while (streams.hasRoom(peer.id, 1400)) {
                  streams.send(peer.id, ByteBuffer.wrap(pattern(0, 1400)));
                  anyTaken = true;
                }
              }
              return !anyTaken;
            });
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });

    int free = onLoop(() -> pool.free());
    assertThat(free).as("the reserve is left").isGreaterThanOrEqualTo(pool.size() / 8);
    echo = true; // the echo sends without asking hasRoom, as control frames do
    SocketChannel healthy = connect();
    write(healthy, pattern(6, 100));
    assertThat(read(healthy, 100))
        .as("a control-sized exchange still gets slots")
        .isEqualTo(pattern(6, 100));
  }

  @Test
  void anOrderlyEofEndsTheStreamWithCauseZeroAndReleasesIt() throws Exception {
    SocketChannel client = connect();
    Peer peer = onlyPeer();
    write(client, pattern(1, 10));
    assertThat(read(client, 10)).isEqualTo(pattern(1, 10));

    client.shutdownOutput();

    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(peer.endedWith).isZero();
    assertThat(client.read(ByteBuffer.allocate(1))).as("the server closed its side").isEqualTo(-1);
    assertThat(onLoop(() -> streams.count())).isZero();
  }

  @Test
  void aResetEndsTheStreamWithTheErrno() throws Exception {
    SocketChannel client = connect();
    Peer peer = onlyPeer();
    client.setOption(StandardSocketOptions.SO_LINGER, 0);

    client.close();

    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(peer.endedWith).as("-ECONNRESET").isEqualTo(-104);
  }

  @Test
  void pastMaxConnectionsNewOnesAreClosedAndRaisingTheLimitAdmitsThem() throws Exception {
    setMaxConnections(2);
    SocketChannel first = connect();
    SocketChannel second = connect();
    Await.until("two streams open", WAIT, () -> peers.size() == 2);

    SocketChannel third = SocketChannel.open(address);
    opened.add(third);
    assertThat(readOrEnd(third)).as("refused: closed at once").isEqualTo(-1);
    Await.until(
        "the refusal counted on tcp.accept",
        WAIT,
        () -> loop.snapshot().path(PathName.TCP_ACCEPT).slotExhausted() == 1);

    setMaxConnections(3);
    SocketChannel fourth = connect();
    write(fourth, pattern(4, 50));
    assertThat(read(fourth, 50)).isEqualTo(pattern(4, 50));

    setMaxConnections(1);
    for (SocketChannel kept : List.of(first, second, fourth)) {
      write(kept, pattern(9, 20));
      assertThat(read(kept, 20)).as("lowering never closes existing").isEqualTo(pattern(9, 20));
    }
    assertThat(onLoop(() -> streams.count())).isEqualTo(3);
  }

  @Test
  void teardownWithASendAndAReceiveInFlightReleasesOnlyAfterTheirCompletions() throws Exception {
    echo = false;
    onLoop(() -> {
      streams.setSocketBuffer(8 * 1024);
      return null;
    });
    SocketChannel client = connect(4096);
    Peer peer = onlyPeer();
    // The client reads nothing: its window and our socket buffer fill, and a send stays in flight
    // in the kernel. Stuck = still in flight with bytes queued when the next command runs.
    Await.until(
        "a send stuck in the kernel",
        WAIT,
        () -> {
          try {
            return onLoop(() -> {
              boolean stuck =
                  streams.queuedBytes(peer.id) > 0
                      && loop.counters(PathName.TCP_TX).inFlight() == 1;
              while (streams.hasRoom(peer.id, 2048)) {
                streams.send(peer.id, ByteBuffer.wrap(pattern(0, 2048)));
              }
              return stuck;
            });
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    int fd = onLoop(() -> streams.fd(peer.id));

    boolean heldAfterAbort =
        onLoop(() -> {
          streams.abort(peer.id);
          return streams.fd(peer.id) == fd && !peer.released;
        });

    assertThat(heldAfterAbort).as("nothing freed before the completions arrive").isTrue();
    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(peer.rxInFlightAtRelease).isZero();
    assertThat(peer.txInFlightAtRelease).isZero();
    assertThat(peer.fdAtRelease).as("the id is dead once released").isEqualTo(-1);
    assertThat(isOpen(fd)).as("the socket is closed").isFalse();
    Await.until("every slot back in the pool", WAIT, () -> pool.free() == pool.size());
    assertThat(readOrEnd(client)).isNotZero();
  }

  @Test
  void closeSendsWhatIsQueuedThenEndsTheStream() throws Exception {
    echo = false;
    SocketChannel client = connect();
    Peer peer = onlyPeer();

    onLoop(() -> {
      streams.send(peer.id, ByteBuffer.wrap(pattern(5, 50_000)));
      streams.close(peer.id);
      return null;
    });

    assertThat(read(client, 50_000)).isEqualTo(pattern(5, 50_000));
    assertThat(readOrEnd(client)).isEqualTo(-1);
    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(peer.endedWith).as("a local close is not the peer ending").isNull();
  }

  @Test
  void aClosedStreamWhosePeerReadsNothingIsAbortedAfterTheLinger() throws Exception {
    echo = false;
    onLoop(() -> {
      streams.setSocketBuffer(8 * 1024);
      return null;
    });
    connect(1024);
    Peer peer = onlyPeer();
    Await.until(
        "the socket full and a send stuck",
        WAIT,
        () -> {
          try {
            return onLoop(() -> {
              boolean stuck =
                  streams.queuedBytes(peer.id) > 0
                      && loop.counters(PathName.TCP_TX).inFlight() == 1;
              while (streams.hasRoom(peer.id, 2048)) {
                streams.send(peer.id, ByteBuffer.wrap(pattern(0, 2048)));
              }
              return stuck;
            });
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    long closedAt = System.nanoTime();

    onLoop(() -> {
      streams.close(peer.id);
      return null;
    });

    Await.until("the stream released", WAIT, () -> peer.released);
    assertThat(System.nanoTime() - closedAt)
        .as("it lingered before giving up")
        .isGreaterThanOrEqualTo(StreamSender.LINGER_NANOS);
    assertThat(peer.txInFlightAtRelease).isZero();
    Await.until("every slot back in the pool", WAIT, () -> pool.free() == pool.size());
  }

  @Test
  void socketOptionsApplyToOpenStreamsAndNewOnes() throws Exception {
    connect();
    Peer first = onlyPeer();
    int firstFd = onLoop(() -> streams.fd(first.id));
    assertThat(LinuxSockets.option(firstFd, LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_NODELAY))
        .as("TCP_NODELAY")
        .isNotZero();

    onLoop(() -> {
      streams.setSocketBuffer(48 * 1024);
      return null;
    });
    connect();
    int secondFd = onLoop(() -> streams.fd(peers.get(1).id));

    for (int fd : new int[] {firstFd, secondFd}) {
      // The kernel stores twice the value asked for.
      assertThat(LinuxSockets.option(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_SNDBUF))
          .isEqualTo(2 * 48 * 1024);
      assertThat(LinuxSockets.option(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF))
          .isEqualTo(2 * 48 * 1024);
    }
  }

  @Test
  void aRecycledSlotGetsANewGenerationAndTheOldIdIsDead() throws Exception {
    SocketChannel first = connect();
    Peer old = onlyPeer();
    first.close();
    opened.remove(first);
    Await.until("the first stream released", WAIT, () -> old.released);

    SocketChannel second = connect();
    Await.until("a second stream", WAIT, () -> peers.size() == 2);
    Peer current = peers.get(1);

    assertThat((int) current.id).as("same slot").isEqualTo((int) old.id);
    assertThat(current.id).isNotEqualTo(old.id);
    assertThat(onLoop(() -> streams.send(old.id, ByteBuffer.wrap(pattern(0, 5))))).isFalse();
    assertThat(onLoop(() -> streams.fd(old.id))).isEqualTo(-1);
    write(second, pattern(2, 30));
    assertThat(read(second, 30)).isEqualTo(pattern(2, 30));
  }

  @Test
  void aRingMigrationKeepsEveryConnectionReceiving() throws Exception {
    List<SocketChannel> many = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      many.add(connect());
    }
    exchangeOn(many, 1);

    onLoop(() -> {
      loop.migrate(RingOptions.of(128).withSqpoll(20));
      return null;
    });
    exchangeOn(many, 2);
    onLoop(() -> {
      loop.migrate(RingOptions.singleIssuer(256));
      return null;
    });
    exchangeOn(many, 3);

    Await.until(
        "two migrations, a receive per stream and the accept armed on the new ring",
        WAIT,
        () ->
            loop.snapshot().ring().generation() == 2
                && loop.snapshot().path(PathName.TCP_RX).inFlight() == 4
                && loop.snapshot().path(PathName.TCP_ACCEPT).inFlight() == 1);
    SocketChannel late = connect();
    write(late, pattern(8, 40));
    assertThat(read(late, 40)).as("the listener accepts after migrating").isEqualTo(pattern(8, 40));
  }

  // ------------------------------------------------------------------ helpers

  private SocketChannel connect() throws IOException {
    return connect(0);
  }

  /** A connected client; with {@code receiveBuffer} > 0 its SO_RCVBUF is set before connecting. */
  private SocketChannel connect(int receiveBuffer) throws IOException {
    int before = peers.size();
    SocketChannel client = SocketChannel.open();
    opened.add(client);
    if (receiveBuffer > 0) {
      client.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
    }
    client.connect(address);
    Await.until("the connection accepted", WAIT, () -> peers.size() > before);
    return client;
  }

  private Peer onlyPeer() {
    assertThat(peers).hasSize(1);
    return peers.getFirst();
  }

  private void setMaxConnections(int max) throws Exception {
    onLoop(() -> {
      listener.setMaxConnections(max);
      return null;
    });
  }

  private <T> T onLoop(Callable<T> command) throws Exception {
    return loop.call(command).get(5, TimeUnit.SECONDS);
  }

  private void exchangeOn(List<SocketChannel> channels, int round) throws Exception {
    for (int i = 0; i < channels.size(); i++) {
      write(channels.get(i), pattern(round * 100 + i, 300));
      assertThat(read(channels.get(i), 300)).isEqualTo(pattern(round * 100 + i, 300));
    }
  }

  private static byte[] pattern(int seed, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((seed + i) % 251);
    }
    return bytes;
  }

  private static void write(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Reads exactly {@code length} bytes, bounded in time by a reader thread's join. */
  private static byte[] read(SocketChannel channel, int length) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    Thread reader =
        Thread.ofPlatform()
            .start(() -> {
              try {
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                  // keep reading
                }
              } catch (IOException e) {
                // the assertion below reports the shortfall
              }
            });
    reader.join(WAIT.toMillis());
    assertThat(buffer.position()).as("bytes read").isEqualTo(length);
    return buffer.array();
  }

  /** The next read's result: -1 at EOF, or -2 for a reset. */
  private static int readOrEnd(SocketChannel channel) throws Exception {
    int[] result = {0};
    Thread reader =
        Thread.ofPlatform()
            .start(() -> {
              try {
                ByteBuffer one = ByteBuffer.allocate(1 << 16);
                int n;
                do {
                  one.clear();
                  n = channel.read(one);
                } while (n > 0);
                result[0] = n;
              } catch (IOException e) {
                result[0] = -2;
              }
            });
    reader.join(WAIT.toMillis());
    return result[0];
  }

  private static int localPort(SocketChannel channel) {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isOpen(int fd) {
    try {
      LinuxFiles.isNonBlocking(fd);
      return true;
    } catch (LinuxException e) {
      return false;
    }
  }
}
