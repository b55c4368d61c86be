package dev.ringway.loop;

import dev.ringway.uring.Tun;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop, its TX pool and the sources an engine puts on it, seen only through the seams: the inside
 * ({@link #tun}), the outside as datagrams ({@link #bind}) or as streams ({@link #listen}), and the
 * {@link Knobs} they support. An owner opens the inside and one outside before {@link #start}, then
 * talks to the loop through {@link #loop()}.
 *
 * <p>What is the same on both engines is written here once: the TX pool and its knob, the socket
 * buffer and connection limit knobs, the loop thread and its start-up.
 */
public abstract class DataPlane {
  private static final Logger log = LoggerFactory.getLogger(DataPlane.class);
  private static final long START_SECONDS = 10;

  private final IoSettings settings;
  private final TxPool txPool;
  private final Knobs knobs = new Knobs();
  private PathName outsideTx = PathName.UDP_TX;

  protected DataPlane(IoSettings settings) {
    this.settings = settings;
    this.txPool = new TxPool(settings.txSlots());
    knobs.add("io.tx.slots", this::resizeTx);
  }

  /** The loop every source of this data plane runs on. */
  public abstract Loop loop();

  /** The send slots every path shares. */
  public final TxPool txPool() {
    return txPool;
  }

  /** What this data plane can change live. */
  public final Knobs knobs() {
    return knobs;
  }

  public final IoSettings settings() {
    return settings;
  }

  /**
   * Reads inside packets from {@code tun} and hands each to {@code receiver}; the writer writes
   * packets to it. The data plane owns the device from now on and closes it when the loop ends.
   */
  public abstract TunWriter tun(Tun tun, InsideReceiver receiver) throws IOException;

  /**
   * A UDP socket bound to {@code bind} (a server's outside): each datagram goes to {@code
   * receiver}, the sender sends from TX slots.
   */
  public final DatagramSender bind(InetSocketAddress bind, DatagramReceiver receiver)
      throws IOException {
    DatagramSender sender = openDatagrams(bind, receiver);
    sender.setSocketBuffer(settings.udpSocketBuffer());
    knobs.add("io.udp.socketBuffer", sender::setSocketBuffer);
    return sender;
  }

  /**
   * A TCP listening socket on {@code bind}: each accepted connection becomes a stream whose owner
   * {@code acceptor} names and whose bytes {@code handler} hears; the sender sends on them.
   */
  public final <A> StreamSender listen(
      InetSocketAddress bind, StreamHandler<A> handler, StreamAcceptor<A> acceptor)
      throws IOException {
    outsideTx = PathName.TCP_TX;
    Listener listener = openListener(bind, handler, acceptor);
    knobs.add("io.tcp.socketBuffer", listener.streams()::setSocketBuffer);
    knobs.add("io.tcp.maxConnections", listener.maxConnections());
    return listener.streams();
  }

  /**
   * Starts the loop on a thread named {@code name} and waits until it has armed its sources.
   *
   * @throws IOException when it could not start; its message says what to change
   */
  public final Thread start(String name) throws IOException {
    Loop loop = loop();
    Thread thread =
        Thread.ofPlatform()
            .name(name)
            .start(() -> {
              try {
                loop.run();
              } catch (IOException e) {
                log.error("the loop failed: {}", e.getMessage());
              }
            });
    try {
      loop.started().get(START_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(startFailure(cause), cause);
    }
    return thread;
  }

  /** A stream source and the setter of its listener's connection limit. */
  public record Listener(StreamSender streams, Knobs.Knob maxConnections) {}

  /** The engine's UDP source, bound to {@code bind}. */
  protected abstract DatagramSender openDatagrams(InetSocketAddress bind, DatagramReceiver receiver)
      throws IOException;

  /** The engine's TCP listener and streams on {@code bind}. */
  protected abstract <A> Listener openListener(
      InetSocketAddress bind, StreamHandler<A> handler, StreamAcceptor<A> acceptor)
      throws IOException;

  /** What to tell the operator when the loop did not start because of {@code cause}. */
  protected String startFailure(Throwable cause) {
    return "the loop did not start: " + cause;
  }

  /**
   * The pool counts its slots for every send path, but only arming sets a path's slot figure, so a
   * resize sets them here.
   */
  private void resizeTx(int slots) {
    txPool.resize(slots);
    loop().counters(PathName.TUN_TX).slots(slots);
    loop().counters(outsideTx).slots(slots);
  }

  /** The message of a failed bind, the same on every engine. */
  protected static IOException bindFailed(
      String protocol, InetSocketAddress bind, IOException cause) {
    return new IOException(
        "cannot bind " + protocol + " " + bind + ": " + cause.getMessage(), cause);
  }
}
