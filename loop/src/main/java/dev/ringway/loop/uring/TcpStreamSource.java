package dev.ringway.loop.uring;

import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.SendQueue;
import dev.ringway.loop.StreamHandler;
import dev.ringway.loop.StreamSender;
import dev.ringway.loop.StreamTable;
import dev.ringway.loop.TxPool;
import dev.ringway.uring.Errno;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.Ring;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outside over TCP, one stream per accepted connection: a single {@code recv} always armed into
 * the stream's own buffer, and {@code send}s from {@link TxPool} slots strictly in order.
 *
 * <p>user_data: tag {@code rxTag}, index = stream slot, generation = the slot's current use; tag
 * {@code txTag}, same index and generation. Cancels complete under {@link UserData#IGNORED}. A
 * stream slot holds the socket, a {@link StreamSender#RECEIVE_BYTES} off-heap receive buffer with
 * its reusable ByteBuffer view, and a FIFO of filled TX slots of which only the head is ever in
 * flight (a TLS stream must leave in order, and a short send continues from where it stopped).
 *
 * <p>The FIFO is bounded by {@code io.tcp.socketBuffer} bytes: {@link #send} refuses a chunk that
 * would pass the bound or that the pool cannot hold, and counts it as slot exhaustion on {@code
 * tcp.tx}. A refused chunk leaves a gap in the TLS stream, so callers drop inside packets before
 * encrypting them while {@link #hasRoom} says no, and treat a refusal as fatal.
 *
 * <p>Teardown never frees what the kernel may still touch: {@link #close} stops receiving, lets the
 * queued bytes go out (at most {@link StreamSender#LINGER_NANOS}), {@link #abort} cancels at once;
 * either way the fd is closed and the buffer freed only after the stream's last completion. The
 * slot then gets a new generation, so a completion that still named the old stream would be
 * recognised and ignored.
 *
 * @param <A> what the owner attaches to each stream (the server's connection record)
 */
public final class TcpStreamSource<A> implements IoSource, StreamSender {
  private static final Logger log = LoggerFactory.getLogger(TcpStreamSource.class);

  private static final long IGNORED = UserData.of(UserData.IGNORED, 0, 0);

  private enum State {
    FREE,
    OPEN,
    /** Not receiving; sends what is queued, then closes. */
    CLOSING,
    /** Everything cancelled; closes once the last completion is in. */
    ABORTING
  }

  private static final class Stream<A> extends StreamTable.Slot {
    State state = State.FREE;
    int fd = -1;
    A owner;
    Arena arena;
    MemorySegment buffer;
    ByteBuffer view;
    boolean recvArmed;
    boolean recvParked;
    boolean sendInFlight;
    boolean cancelSent;
    boolean delivering;
    long lingerUntil;
    final SendQueue queue;

    Stream(int index, TxPool txPool) {
      super(index);
      this.queue = new SendQueue(txPool);
    }

    @Override
    protected boolean inUse() {
      return state != State.FREE;
    }
  }

  private final TxPool txPool;
  private final int rxTag;
  private final int txTag;
  private final StreamHandler<A> handler;
  private final StreamTable<Stream<A>> streams;
  private EventLoop loop;
  private PathCounters rx;
  private PathCounters tx;
  private int socketBuffer;
  private int open;
  private int parked;
  private int lingering;
  private int inFlight;
  private long partialSends;
  private long refused;
  private boolean stopping;

  /**
   * Streams that send from {@code txPool} and bound each stream's unsent bytes (and set its
   * SO_SNDBUF/SO_RCVBUF) to {@code socketBuffer}.
   */
  public TcpStreamSource(
      TxPool txPool, int rxTag, int txTag, int socketBuffer, StreamHandler<A> handler) {
    requirePositive(socketBuffer);
    this.txPool = txPool;
    this.rxTag = rxTag;
    this.txTag = txTag;
    this.socketBuffer = socketBuffer;
    this.handler = handler;
    this.streams = new StreamTable<>(index -> new Stream<>(index, txPool));
  }

  /** Registers this source's two tags on {@code loop}. */
  public void registerOn(EventLoop loop) {
    loop.register(rxTag, this);
    loop.register(txTag, this);
  }

  @Override
  public void arm(EventLoop loop) {
    this.loop = loop;
    this.rx = loop.counters(PathName.TCP_RX);
    this.tx = loop.counters(PathName.TCP_TX);
    tx.slots(txPool.size());
  }

  // ------------------------------------------------------------------ the owner's verbs

  /**
   * Takes over the connected socket {@code fd} (switched to blocking mode, {@code TCP_NODELAY} on,
   * buffer sizes set) and arms its receive. Returns the stream's id, or -1 when the socket could
   * not be set up; the fd is closed then. Loop thread only.
   */
  public long open(int fd, A owner) {
    try {
      LinuxFiles.setNonBlocking(fd, false);
      LinuxSockets.setOption(fd, LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_NODELAY, 1);
      applySocketBuffer(fd);
    } catch (LinuxException e) {
      log.debug("cannot set up accepted socket {}: {}", fd, e.getMessage());
      closeFd(fd);
      return -1;
    }
    Stream<A> stream = streams.take();
    stream.state = State.OPEN;
    stream.fd = fd;
    stream.owner = owner;
    // A confined arena: the loop thread allocates, uses and frees it.
    stream.arena = Arena.ofConfined();
    stream.buffer = stream.arena.allocate(StreamSender.RECEIVE_BYTES, 64);
    stream.view = stream.buffer.asByteBuffer();
    open++;
    rx.slots(open);
    armReceive(stream);
    return streams.id(stream);
  }

  /**
   * Queues all of {@code bytes} (position to limit) to go out on the stream after everything queued
   * before, or nothing: returns false, counted as slot exhaustion on {@code tcp.tx}, when the
   * stream's unsent bytes would pass {@code io.tcp.socketBuffer}, when the pool lacks the slots, or
   * when the stream is not open. On success {@code bytes} is consumed. Loop thread only.
   */
  @Override
  public boolean send(long id, ByteBuffer bytes) {
    Stream<A> stream = streams.live(id);
    if (stream == null || stream.state != State.OPEN) {
      return false;
    }
    if (!stream.queue.offer(bytes, socketBuffer, stream.sendInFlight)) {
      tx.slotExhausted();
      refused++;
      return false;
    }
    if (!stream.sendInFlight) {
      submitHead(stream);
    }
    return true;
  }

  /**
   * Whether an inside packet that encrypts to at most {@code length} bytes may be sent now: {@link
   * #send} would take it, and the pool keeps its last eighth ({@link TxPool#dataReserve()})
   * afterwards (a stream that is not open has no room). Callers ask before encrypting, so that a
   * full stream drops the packet (the inner TCP retransmits it) instead of leaving a gap in the TLS
   * stream. The reserve is what a few peers that stop reading cannot take: TUN writes, TUN reads
   * (which park only on an empty pool) and every stream's control frames — handshakes, Pongs,
   * Goodbye — go on.
   */
  @Override
  public boolean hasRoom(long id, int length) {
    Stream<A> stream = streams.live(id);
    return stream != null
        && stream.state == State.OPEN
        && stream.queue.hasRoom(length, socketBuffer, stream.sendInFlight);
  }

  /**
   * Ends the stream from this side: stops receiving, sends what is queued (for at most {@link
   * StreamSender#LINGER_NANOS}), then closes the socket once its last request has completed.
   * Idempotent; the handler hears no {@link StreamHandler#ended} for it. Loop thread only.
   */
  @Override
  public void close(long id) {
    Stream<A> stream = streams.live(id);
    if (stream == null || stream.state != State.OPEN) {
      return;
    }
    stream.state = State.CLOSING;
    if (stream.recvArmed) {
      cancel(UserData.of(rxTag, stream.generation(), stream.index()));
    }
    if (stream.queue.count() > 0) {
      stream.lingerUntil = System.nanoTime() + StreamSender.LINGER_NANOS;
      lingering++;
    }
    unpark(stream);
    releaseIfQuiet(stream);
  }

  /** Ends the stream at once: everything in flight is cancelled, queued bytes are dropped. */
  @Override
  public void abort(long id) {
    Stream<A> stream = streams.live(id);
    if (stream != null && stream.state != State.ABORTING) {
      startAbort(stream);
    }
  }

  /**
   * Sets {@code SO_SNDBUF}/{@code SO_RCVBUF} to {@code bytes} on every open stream and on new ones,
   * and bounds each stream's unsent bytes to it. Loop thread only.
   */
  @Override
  public void setSocketBuffer(int bytes) {
    requirePositive(bytes);
    socketBuffer = bytes;
    for (Stream<A> stream : streams) {
      if (stream.state == State.OPEN || stream.state == State.CLOSING) {
        try {
          applySocketBuffer(stream.fd);
        } catch (LinuxException e) {
          log.debug("setsockopt on stream {} failed: {}", stream.fd, e.getMessage());
        }
      }
    }
  }

  /** The bound on each stream's unsent bytes and its socket buffer sizes. */
  public int socketBuffer() {
    return socketBuffer;
  }

  /** Streams holding a slot: open, closing or waiting for their last completion. */
  @Override
  public int count() {
    return open;
  }

  /** The socket of stream {@code id}, or -1 once it is released. */
  public int fd(long id) {
    Stream<A> stream = streams.live(id);
    return stream == null ? -1 : stream.fd;
  }

  /** Unsent bytes queued on stream {@code id} (including the part of a send in flight). */
  public int queuedBytes(long id) {
    Stream<A> stream = streams.live(id);
    return stream == null ? 0 : stream.queue.queuedBytes();
  }

  /** Sends that the kernel completed with fewer bytes than asked (the rest went out next). */
  public long partialSends() {
    return partialSends;
  }

  /** Chunks {@link #send} refused. */
  public long refused() {
    return refused;
  }

  // ------------------------------------------------------------------ completions

  @Override
  public void complete(long userData, int res, int flags) {
    inFlight--;
    int index = UserData.index(userData);
    Stream<A> stream = index < streams.size() ? streams.get(index) : null;
    boolean receive = UserData.tag(userData) == rxTag;
    (receive ? rx : tx).completed(res);
    if (stream == null
        || stream.state == State.FREE
        || UserData.generation(userData) != stream.generation()) {
      // Cannot happen while slots are recycled only after their last completion; if it ever
      // does, the completion names a stream that no longer exists and must not touch this one.
      log.warn("completion for a released stream (user_data {})", Long.toHexString(userData));
      return;
    }
    if (receive) {
      received(stream, res);
    } else {
      sent(stream, res);
    }
    releaseIfQuiet(stream);
  }

  private void received(Stream<A> stream, int res) {
    stream.recvArmed = false;
    if (res > 0) {
      if (stream.state == State.OPEN) {
        stream.view.clear().limit(res);
        // The handler may close the stream while it still reads the buffer: hold the release.
        stream.delivering = true;
        try {
          handler.received(stream.owner, stream.view, res);
        } finally {
          stream.delivering = false;
        }
      }
      rearmOrPark(stream);
    } else if (res == 0) {
      peerEnded(stream, 0);
    } else if (res == -Errno.ECANCELED) {
      // Cancelled by close/abort, by a ring migration (re-armed on the new ring) or at stop.
      rearmOrPark(stream);
    } else {
      log.debug("TCP receive on {} failed: errno {}", stream.fd, -res);
      peerEnded(stream, res);
    }
  }

  private void sent(Stream<A> stream, int res) {
    stream.sendInFlight = false;
    if (res <= 0) {
      if (res != -Errno.ECANCELED) {
        log.debug("TCP send on {} failed: errno {}", stream.fd, -res);
        peerEnded(stream, res == 0 ? -Errno.EIO : res);
      }
      // The head's slot came back with this completion; what is still queued is dropped.
      dropQueue(stream);
      return;
    }
    if (stream.queue.sent(res)) {
      partialSends++;
    }
    if (stream.state == State.ABORTING || stopping) {
      dropQueue(stream);
    } else if (stream.queue.count() > 0) {
      submitHead(stream);
    }
  }

  @Override
  public void afterBatch() {
    if (stopping) {
      return;
    }
    if (parked > 0 && txPool.free() > 0) {
      for (int i = 0; i < streams.size() && txPool.free() > 0; i++) {
        Stream<A> stream = streams.get(i);
        if (stream.recvParked) {
          unpark(stream);
          armReceive(stream);
        }
      }
    }
    if (lingering > 0) {
      long now = System.nanoTime();
      for (int i = 0; i < streams.size(); i++) {
        Stream<A> stream = streams.get(i);
        if (stream.state == State.CLOSING
            && stream.lingerUntil != 0
            && now - stream.lingerUntil >= 0) {
          log.debug("stream {} did not drain in time; aborting it", stream.fd);
          startAbort(stream);
        }
      }
    }
  }

  @Override
  public void cancelAll(EventLoop loop) {
    stopping = true;
    for (int i = 0; i < streams.size(); i++) {
      Stream<A> stream = streams.get(i);
      if (stream.recvArmed || stream.sendInFlight) {
        cancelFd(stream);
      }
    }
  }

  @Override
  public void moveReads(EventLoop loop, Ring old) {
    for (int i = 0; i < streams.size(); i++) {
      Stream<A> stream = streams.get(i);
      if (stream.recvArmed) {
        old.prepCancel(UserData.of(rxTag, stream.generation(), stream.index()), IGNORED);
      }
    }
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  /** Closes every socket and frees every buffer; the ring is gone by now. */
  @Override
  public void close() {
    for (Stream<A> stream : streams) {
      if (stream.state != State.FREE) {
        closeFd(stream.fd);
        stream.arena.close();
        stream.state = State.FREE;
      }
    }
  }

  // ------------------------------------------------------------------ internals

  private void peerEnded(Stream<A> stream, int cause) {
    if (stream.state != State.OPEN) {
      return;
    }
    startAbort(stream);
    handler.ended(stream.owner, cause);
  }

  private void startAbort(Stream<A> stream) {
    if (stream.state == State.CLOSING && stream.lingerUntil != 0) {
      lingering--;
      stream.lingerUntil = 0;
    }
    stream.state = State.ABORTING;
    unpark(stream);
    if ((stream.recvArmed || stream.sendInFlight) && !stream.cancelSent) {
      stream.cancelSent = true;
      cancelFd(stream);
    }
    if (!stream.sendInFlight) {
      dropQueue(stream);
    }
  }

  private void rearmOrPark(Stream<A> stream) {
    if (stream.state != State.OPEN || stopping) {
      return;
    }
    // Back-pressure: what arrives next would need TX slots on its way in; with none free the
    // receive waits, and TCP flow control slows the peer down instead of us dropping.
    if (txPool.free() == 0) {
      stream.recvParked = true;
      parked++;
      rx.slotExhausted();
    } else {
      armReceive(stream);
    }
  }

  private void unpark(Stream<A> stream) {
    if (stream.recvParked) {
      stream.recvParked = false;
      parked--;
    }
  }

  private void armReceive(Stream<A> stream) {
    long userData = UserData.of(rxTag, stream.generation(), stream.index());
    if (!loop.ring().prepRecv(stream.fd, stream.buffer, StreamSender.RECEIVE_BYTES, 0, userData)) {
      stream.recvParked = true;
      parked++;
      return;
    }
    stream.recvArmed = true;
    rx.submitted();
    inFlight++;
  }

  private void submitHead(Stream<A> stream) {
    TxPool.Slot slot = stream.queue.headSlot();
    int offset = stream.queue.headSent();
    int length = stream.queue.headRemaining();
    // Only the rest of a short send needs a slice (and its small allocation); whole slots go as
    // they are.
    MemorySegment from = offset == 0 ? slot.buffer() : slot.buffer().asSlice(offset);
    long userData = UserData.of(txTag, stream.generation(), stream.index());
    if (!loop.ring().prepSend(stream.fd, from, length, LinuxSockets.MSG_NOSIGNAL, userData)) {
      // The submission queue stays full: a gap in the stream is not an option.
      log.warn("no room in the submission queue for a TCP send; aborting stream {}", stream.fd);
      tx.slotExhausted();
      peerEnded(stream, -Errno.ENOBUFS);
      return;
    }
    stream.sendInFlight = true;
    tx.submitted();
    inFlight++;
  }

  /** Gives back every queued slot; only when no send of this stream is in flight. */
  private static void dropQueue(Stream<?> stream) {
    stream.queue.clear();
  }

  /**
   * Closes the socket and frees the buffer once nothing of the stream is in flight (the kernel may
   * write the buffer until the receive's completion, including after a cancel) and, when closing
   * gracefully, nothing is left to send.
   */
  private void releaseIfQuiet(Stream<A> stream) {
    if (stream.state == State.OPEN
        || stream.delivering
        || stream.recvArmed
        || stream.sendInFlight
        || (stream.state == State.CLOSING && stream.queue.count() > 0)) {
      return;
    }
    if (stream.state == State.CLOSING && stream.lingerUntil != 0) {
      lingering--;
    }
    unpark(stream);
    dropQueue(stream);
    closeFd(stream.fd);
    stream.arena.close();
    A owner = stream.owner;
    stream.state = State.FREE;
    stream.fd = -1;
    stream.owner = null;
    stream.arena = null;
    stream.buffer = null;
    stream.view = null;
    stream.cancelSent = false;
    stream.lingerUntil = 0;
    streams.give(stream);
    open--;
    rx.slots(open);
    handler.released(owner);
  }

  private void cancel(long target) {
    loop.ring().prepCancel(target, IGNORED);
  }

  private void cancelFd(Stream<A> stream) {
    loop.ring().prepCancelFd(stream.fd, IGNORED);
  }

  private void applySocketBuffer(int fd) throws LinuxException {
    LinuxSockets.setOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_SNDBUF, socketBuffer);
    LinuxSockets.setOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF, socketBuffer);
  }

  private static void closeFd(int fd) {
    try {
      LinuxFiles.close(fd);
    } catch (LinuxException e) {
      log.debug("closing socket {} failed: {}", fd, e.getMessage());
    }
  }

  private static void requirePositive(int socketBuffer) {
    if (socketBuffer < 1) {
      throw new IllegalArgumentException(
          "io.tcp.socketBuffer must be positive, got " + socketBuffer);
    }
  }
}
