package dev.ringway.client;

import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.loop.DatagramPeer;
import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TxPool;
import dev.ringway.loop.uring.EventLoop;
import dev.ringway.loop.uring.MissingCapability;
import dev.ringway.loop.uring.TunSource;
import dev.ringway.loop.uring.UdpSource;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.Tun;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux client over UDP: a TUN device, a UDP socket connected to the server and a {@link
 * ClientSession}, all on one {@link EventLoop}. Packets the kernel routes into the TUN device go to
 * the server; packets from the server are written to the TUN device, which is configured from the
 * server's AuthSuccessWithConfigV4 and kept across reconnects.
 *
 * <p>{@link #run()} opens the device, the socket and the ring on the calling thread, so a thread
 * that has entered a network namespace gets all three there. The ring, the sources and the session
 * belong to that thread; {@link #stop()} and {@link #status()} are for any thread.
 *
 * <p>user_data tags: 8/9 UDP receive/send, 10/11 TUN read/write (see {@link UdpSource} and {@link
 * TunSource} for the slots behind them).
 */
public final class UdpClient implements TunnelClient {
  private static final Logger log = LoggerFactory.getLogger(UdpClient.class);
  private static final int UDP_RX = 8;
  private static final int UDP_TX = 9;
  private static final int TUN_RX = 10;
  private static final int TUN_TX = 11;

  /** Connection timers are seconds apart; a 20 ms tick keeps them close without busy-waking. */
  private static final long TICK_NANOS = 20_000_000L;

  /** How long {@link #stop()} waits for the Goodbye to be handed to the ring. */
  private static final long GOODBYE_WAIT_MILLIS = 500;

  private static final int TLS_WORKERS = 2;

  private final ClientSettings settings;
  private final RandomGenerator random;
  private volatile EventLoop loop;
  private volatile ClientSession session;
  private final AtomicBoolean stopRequested = new AtomicBoolean();

  // Loop thread only, from run() on.
  private Tun tun;
  private TunSource tunSource;
  private UdpSource udp;
  private TxPool txPool;
  private DatagramPeer serverPeer;

  public UdpClient(ClientSettings settings, RandomGenerator random) {
    this.settings = settings;
    this.random = random;
  }

  /**
   * Runs the client on the calling thread until {@link #stop()}: opens the TUN device and the
   * socket, sets up the ring, connects and keeps reconnecting. Returns once the loop has stopped
   * and every request has completed.
   *
   * @throws ClientFailure when a device, socket or ring cannot be had (saying what is missing and
   *     how to provide it) or the loop fails
   */
  @Override
  public void run() throws ClientFailure {
    tun = openTun();
    int socket;
    try {
      socket = LinuxSockets.socketFor(settings.server(), LinuxSockets.SOCK_DGRAM);
    } catch (LinuxException e) {
      closeQuietly(tun);
      throw new ClientFailure("cannot open a UDP socket: " + e.getMessage(), e);
    }
    ExecutorService workers =
        Executors.newFixedThreadPool(
            TLS_WORKERS, Thread.ofPlatform().name("ringway-tls-", 0).daemon().factory());
    try {
      EventLoop created = build(socket, workers);
      loop = created;
      if (stopRequested.get()) {
        created.stop();
      }
      runLoop(created);
    } finally {
      workers.shutdownNow();
    }
  }

  /**
   * Says Goodbye to the server (waiting up to half a second for it to be handed to the ring) and
   * stops the loop; {@link #run()} then returns. Safe from any thread, and before {@link #run()};
   * calls after the first do nothing.
   */
  @Override
  public void stop() {
    if (stopRequested.getAndSet(true)) {
      return;
    }
    EventLoop running = loop;
    if (running == null) {
      return;
    }
    try {
      running
          .call(() -> {
            session.shutdown();
            return null;
          })
          .get(GOODBYE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not say Goodbye before stopping: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running.stop();
  }

  /** The session's latest status; safe from any thread. */
  @Override
  public ClientStatus status() {
    ClientSession current = session;
    return current == null ? ClientStatus.INITIAL : current.status();
  }

  /** The loop's latest statistics, or null before {@link #run()} has built it. */
  public LoopSnapshot snapshot() {
    EventLoop current = loop;
    return current == null ? null : current.snapshot();
  }

  private Tun openTun() throws ClientFailure {
    try {
      return Tun.open(settings.tunName(), !settings.tunBlocking());
    } catch (LinuxException e) {
      throw new ClientFailure(MissingCapability.tun(e), e);
    }
  }

  /** The loop with its two sources and the session; on failure closes what it opened. */
  private EventLoop build(int socket, ExecutorService workers) throws ClientFailure {
    txPool = new TxPool(settings.txSlots());
    try {
      LinuxSockets.connect(socket, settings.server());
      udp = new UdpSource(socket, settings.udpRxSlots(), txPool, UDP_RX, UDP_TX, this::fromServer);
      udp.setSocketBuffer(settings.udpSocketBuffer());
    } catch (LinuxException e) {
      closeQuietly(tun);
      closeQuietly(socket);
      throw new ClientFailure(
          "cannot set up the UDP socket to " + settings.server() + ": " + e.getMessage(), e);
    }
    EventLoop created;
    try {
      created = new EventLoop(settings.ring(), TICK_NANOS, settings.statsInterval().toNanos());
    } catch (LinuxException e) {
      closeQuietly(tun);
      closeQuietly(socket);
      throw new ClientFailure("cannot create the loop's eventfd: " + e.getMessage(), e);
    }
    TunInside inside = new TunInside(tun, txPool, settings.mtuLimit(), Transport.DATAGRAM);
    tunSource =
        new TunSource(
            tun,
            settings.tunRxSlots(),
            settings.tunBlocking(),
            txPool,
            TUN_RX,
            TUN_TX,
            this::fromTun);
    udp.registerOn(created);
    tunSource.registerOn(created);
    inside.attach(tunSource, created.counters(PathName.TUN_TX));
    serverPeer = new DatagramPeer(settings.server(), 0);
    ClientSession newSession =
        new ClientSession(
            Transport.DATAGRAM,
            TlsEndpoint.client(settings.trust(), settings.cipher(), null),
            settings.credentials(),
            settings.timeouts(),
            new Backoff(settings.initialBackoff(), settings.maxBackoff(), random),
            System::nanoTime,
            workers,
            command -> onLoop(created, command),
            this::toServer,
            inside);
    session = newSession;
    created.onTick(now -> newSession.tick());
    onLoop(created, newSession::start);
    return created;
  }

  private void runLoop(EventLoop created) throws ClientFailure {
    if (settings.insecure()) {
      log.warn("tls.insecure is set: the server's certificate is NOT verified");
    }
    log.info(
        "client for {} on TUN {}, authenticating with {}",
        settings.server(),
        tun.name(),
        settings.credentials());
    try {
      created.run();
    } catch (LinuxException e) {
      if (e.operation().startsWith("io_uring_setup")) {
        throw new ClientFailure(MissingCapability.ring(e), e);
      }
      throw new ClientFailure("the I/O loop failed: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      // A source that could not arm (the TUN fd refusing its blocking mode, say).
      throw new ClientFailure("the I/O loop could not start: " + e.getMessage(), e);
    }
  }

  private static void onLoop(EventLoop loop, Runnable command) {
    loop.call(
            () -> {
              command.run();
              return null;
            })
        .whenComplete((ignored, failure) -> {
          if (failure != null) {
            log.error("a loop command failed", failure);
          }
        });
  }

  /** A datagram from the server (the socket is connected, so it can come from nowhere else). */
  private void fromServer(ByteBuffer view, int length, InetSocketAddress from, int localIpv4) {
    session.receiveDatagram(view);
  }

  /** A packet the kernel routed into the TUN device; the connection drops what is not IPv4. */
  private void fromTun(MemorySegment packet, ByteBuffer view, int length) {
    session.sendInside(view);
  }

  private void toServer(ByteBuffer datagram) {
    TxPool.Slot slot = txPool.acquire();
    if (slot == null) {
      loop.counters(PathName.UDP_TX).slotExhausted();
      return;
    }
    int length = datagram.remaining();
    slot.view().put(0, datagram, datagram.position(), length);
    udp.send(slot, length, serverPeer);
  }

  private static void closeQuietly(Tun tun) {
    try {
      tun.close();
    } catch (LinuxException e) {
      log.warn("closing the TUN device failed: {}", e.getMessage());
    }
  }

  private static void closeQuietly(int fd) {
    try {
      LinuxFiles.close(fd);
    } catch (LinuxException e) {
      log.warn("closing the socket failed: {}", e.getMessage());
    }
  }
}
