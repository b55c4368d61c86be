package dev.ringway.loop.nio;

import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.SendQueue;
import dev.ringway.loop.StreamHandler;
import dev.ringway.loop.StreamSender;
import dev.ringway.loop.StreamTable;
import dev.ringway.loop.TxPool;
import dev.ringway.uring.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outside over TCP on the {@link NioLoop}, one non-blocking {@link SocketChannel} per accepted
 * connection: the same streams as {@link TcpStreamSource}, with readiness instead of completions.
 *
 * <p>Receiving: on read readiness the channel is read into one direct buffer that every stream
 * shares (the handler consumes what it is given during the call) until a read comes back short or
 * would block (counted as EAGAIN) or {@value #READS} reads were made, so that one busy peer does
 * not starve the others. While the {@link TxPool} has no free slot nothing is read (counted as slot
 * exhaustion on {@code tcp.rx}): what arrives next would need slots on its way in, so the bytes
 * wait in the socket and TCP flow control slows the peer.
 *
 * <p>Sending: {@link #send} copies into a FIFO of TX slots per stream (filling the last slot
 * first), bounded by {@code io.tcp.socketBuffer} bytes exactly as on the ring. Queued streams are
 * written after the selector's batch ({@link #afterSelect}), so the records an iteration produced
 * leave together in one gathering write of up to {@value #GATHER} slots; a short write leaves the
 * rest queued (counted as a partial send) and the channel is watched for writability until the
 * queue has drained. A write that would block counts as EAGAIN on {@code tcp.tx}. Writes never
 * happen inside {@link #send}, so a failing socket is never reported to the handler while it is
 * itself sending.
 *
 * <p>Teardown: {@link #close} stops reading and lets the queued bytes (Goodbye, close_notify) go
 * out for at most {@link StreamSender#LINGER_NANOS}, then closes the channel; {@link #abort} closes
 * at once. Nothing is in the kernel's hands, so the slot is released as soon as its channel is
 * closed, with a new generation: an old id is recognised and ignored.
 *
 * @param <A> what the owner attaches to each stream (the server's connection record)
 */
public final class NioTcpStreamSource<A> implements NioSource, StreamSender {
  private static final Logger log = LoggerFactory.getLogger(NioTcpStreamSource.class);

  /** Reads per readiness of one stream before the loop moves on. */
  static final int READS = 16;

  /** Slots one write hands to the kernel at most. */
  static final int GATHER = 32;

  private enum State {
    FREE,
    OPEN,
    /** Not reading; sends what is queued, then closes. */
    CLOSING
  }

  /** One stream; the attachment of its channel's selection key. */
  private final class Stream extends StreamTable.Slot implements ReadinessHandler {
    State state = State.FREE;
    SocketChannel channel;
    SelectionKey key;
    A owner;
    boolean readParked;
    boolean awaitingWritable;
    boolean flushQueued;
    long lingerUntil;
    final SendQueue queue = new SendQueue(txPool);

    Stream(int index) {
      super(index);
    }

    @Override
    protected boolean inUse() {
      return state != State.FREE;
    }

    @Override
    public void ready(SelectionKey key) {
      if (!key.isValid()) {
        return;
      }
      int ready = key.readyOps();
      if ((ready & SelectionKey.OP_WRITE) != 0) {
        flush(this);
      }
      if ((ready & SelectionKey.OP_READ) != 0 && state == State.OPEN && !readParked) {
        receive(this);
      }
    }
  }

  private final TxPool txPool;
  private final StreamHandler<A> handler;
  private final ByteBuffer receiveBuffer;
  private final StreamTable<Stream> streams = new StreamTable<>(Stream::new);
  private final ByteBuffer[] gather = new ByteBuffer[GATHER];
  private int[] flushes = new int[16];
  private int flushCount;
  private NioLoop loop;
  private PathCounters rx;
  private PathCounters tx;
  private int socketBuffer;
  private int open;
  private int parked;
  private int lingering;
  private long partialSends;
  private long refused;
  private boolean stopping;

  /**
   * Streams that send from {@code txPool} and bound each stream's unsent bytes (and set its
   * SO_SNDBUF/SO_RCVBUF) to {@code socketBuffer}.
   */
  public NioTcpStreamSource(TxPool txPool, int socketBuffer, StreamHandler<A> handler) {
    requirePositive(socketBuffer);
    this.txPool = txPool;
    this.socketBuffer = socketBuffer;
    this.handler = handler;
    this.receiveBuffer = Arena.ofAuto().allocate(StreamSender.RECEIVE_BYTES, 64).asByteBuffer();
  }

  /** Adds this source to {@code loop}. */
  public void registerOn(NioLoop loop) {
    loop.register(this);
  }

  @Override
  public void arm(NioLoop loop) {
    this.loop = loop;
    this.rx = loop.counters(PathName.TCP_RX);
    this.tx = loop.counters(PathName.TCP_TX);
    tx.slots(txPool.size());
  }

  @Override
  public void ready(SelectionKey key) {
    // Registers nothing with itself as the attachment: each stream's key carries the stream.
  }

  // ------------------------------------------------------------------ the owner's verbs

  /**
   * Takes over the connected {@code channel} (switched to non-blocking mode, {@code TCP_NODELAY}
   * on, buffer sizes set) and starts reading it. Returns the stream's id, or -1 when the channel
   * could not be set up; it is closed then. Loop thread only.
   */
  public long open(SocketChannel channel, A owner) {
    SelectionKey key;
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      applySocketBuffer(channel);
      key = channel.register(loop.selector(), SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      log.debug("cannot set up accepted channel {}: {}", channel, e.getMessage());
      closeChannel(channel);
      return -1;
    }
    Stream stream = streams.take();
    stream.state = State.OPEN;
    stream.channel = channel;
    stream.key = key;
    stream.owner = owner;
    key.attach(stream);
    open++;
    rx.slots(open);
    return streams.id(stream);
  }

  @Override
  public boolean send(long id, ByteBuffer bytes) {
    Stream stream = streams.live(id);
    if (stream == null || stream.state != State.OPEN) {
      return false;
    }
    // Nothing is in the kernel's hands between two writes: even a partly written head may grow.
    if (!stream.queue.offer(bytes, socketBuffer, false)) {
      tx.slotExhausted();
      refused++;
      return false;
    }
    queueFlush(stream);
    return true;
  }

  @Override
  public boolean hasRoom(long id, int length) {
    Stream stream = streams.live(id);
    return stream != null
        && stream.state == State.OPEN
        && stream.queue.hasRoom(length, socketBuffer, false);
  }

  @Override
  public void close(long id) {
    Stream stream = streams.live(id);
    if (stream == null || stream.state != State.OPEN) {
      return;
    }
    unpark(stream);
    if (stream.queue.count() == 0) {
      release(stream);
      return;
    }
    stream.state = State.CLOSING;
    stream.key.interestOps(stream.key.interestOps() & ~SelectionKey.OP_READ);
    stream.lingerUntil = System.nanoTime() + StreamSender.LINGER_NANOS;
    lingering++;
    queueFlush(stream);
  }

  @Override
  public void abort(long id) {
    Stream stream = streams.live(id);
    if (stream != null) {
      release(stream);
    }
  }

  @Override
  public void setSocketBuffer(int bytes) {
    requirePositive(bytes);
    socketBuffer = bytes;
    for (Stream stream : streams) {
      if (stream.state != State.FREE) {
        try {
          applySocketBuffer(stream.channel);
        } catch (IOException e) {
          log.debug("setting the buffers of {} failed: {}", stream.channel, e.getMessage());
        }
      }
    }
  }

  /** The bound on each stream's unsent bytes and its socket buffer sizes. */
  public int socketBuffer() {
    return socketBuffer;
  }

  @Override
  public int count() {
    return open;
  }

  /** The channel of stream {@code id}, or null once it is released. */
  public SocketChannel channel(long id) {
    Stream stream = streams.live(id);
    return stream == null ? null : stream.channel;
  }

  /** Unsent bytes queued on stream {@code id}. */
  public int queuedBytes(long id) {
    Stream stream = streams.live(id);
    return stream == null ? 0 : stream.queue.queuedBytes();
  }

  /** Writes the kernel took only part of (the rest went out on writability). */
  public long partialSends() {
    return partialSends;
  }

  /** Chunks {@link #send} refused. */
  public long refused() {
    return refused;
  }

  // ------------------------------------------------------------------ the loop's turns

  @Override
  public void afterSelect() {
    if (stopping) {
      return;
    }
    // Flushing may end streams, whose handlers may queue more flushes: take the list as it grows.
    for (int i = 0; i < flushCount; i++) {
      Stream stream = streams.get(flushes[i]);
      stream.flushQueued = false;
      if (stream.state != State.FREE && !stream.awaitingWritable) {
        flush(stream);
      }
    }
    flushCount = 0;
    if (parked > 0 && txPool.free() > 0) {
      for (int i = 0; i < streams.size(); i++) {
        Stream stream = streams.get(i);
        if (stream.readParked) {
          unpark(stream);
          stream.key.interestOps(stream.key.interestOps() | SelectionKey.OP_READ);
        }
      }
    }
    if (lingering > 0) {
      long now = System.nanoTime();
      for (int i = 0; i < streams.size(); i++) {
        Stream stream = streams.get(i);
        if (stream.state == State.CLOSING && now - stream.lingerUntil >= 0) {
          log.debug("stream {} did not drain in time; aborting it", stream.channel);
          release(stream);
        }
      }
    }
  }

  @Override
  public boolean hasWork() {
    return flushCount > 0;
  }

  /** Gives every queued slot back; the loop is stopping and will not write again. */
  @Override
  public void stop() {
    stopping = true;
    for (Stream stream : streams) {
      dropQueue(stream);
    }
  }

  /** Closes every channel. */
  @Override
  public void close() {
    for (Stream stream : streams) {
      if (stream.state != State.FREE) {
        closeChannel(stream.channel);
        stream.state = State.FREE;
      }
    }
  }

  // ------------------------------------------------------------------ internals

  private void receive(Stream stream) {
    for (int i = 0; i < READS; i++) {
      if (txPool.free() == 0) {
        stream.readParked = true;
        parked++;
        rx.slotExhausted();
        stream.key.interestOps(stream.key.interestOps() & ~SelectionKey.OP_READ);
        return;
      }
      receiveBuffer.clear();
      int n;
      try {
        n = stream.channel.read(receiveBuffer);
      } catch (IOException e) {
        // Java names no errno; a reset and every other failure end the stream alike.
        rx.completedAtOnce(-Errno.EIO);
        log.debug("TCP read on {} failed: {}", stream.channel, e.getMessage());
        peerEnded(stream, -Errno.EIO);
        return;
      }
      if (n < 0) {
        rx.completedAtOnce(0);
        peerEnded(stream, 0);
        return;
      }
      if (n == 0) {
        rx.completedAtOnce(-Errno.EAGAIN);
        return;
      }
      rx.completedAtOnce(n);
      receiveBuffer.flip();
      handler.received(stream.owner, receiveBuffer, n);
      if (stream.state != State.OPEN || n < receiveBuffer.capacity()) {
        // Closed by the handler, or the socket had no more: the selector says when it has.
        return;
      }
    }
  }

  /** Writes the queue's head slots until it is empty or the socket is full. */
  private void flush(Stream stream) {
    while (stream.queue.count() > 0) {
      int buffers = stream.queue.gather(gather);
      long written;
      try {
        written = stream.channel.write(gather, 0, buffers);
      } catch (IOException e) {
        tx.completedAtOnce(-Errno.EIO);
        log.debug("TCP write on {} failed: {}", stream.channel, e.getMessage());
        if (stream.state == State.OPEN) {
          peerEnded(stream, -Errno.EIO);
        } else {
          release(stream);
        }
        return;
      }
      if (written == 0) {
        tx.completedAtOnce(-Errno.EAGAIN);
        awaitWritable(stream);
        return;
      }
      tx.completedAtOnce((int) written);
      if (stream.queue.sent(written)) {
        // The socket took part of what it was given: it is full, wait until it has room.
        partialSends++;
        awaitWritable(stream);
        return;
      }
    }
    if (stream.awaitingWritable) {
      stream.awaitingWritable = false;
      stream.key.interestOps(stream.key.interestOps() & ~SelectionKey.OP_WRITE);
    }
    if (stream.state == State.CLOSING) {
      release(stream);
    }
  }

  private void awaitWritable(Stream stream) {
    if (!stream.awaitingWritable) {
      stream.awaitingWritable = true;
      stream.key.interestOps(stream.key.interestOps() | SelectionKey.OP_WRITE);
    }
  }

  /** Marks {@code stream} to be written after this batch, unless it waits for writability. */
  private void queueFlush(Stream stream) {
    if (stream.flushQueued || stream.awaitingWritable) {
      return;
    }
    stream.flushQueued = true;
    if (flushCount == flushes.length) {
      flushes = Arrays.copyOf(flushes, flushes.length * 2);
    }
    flushes[flushCount++] = stream.index();
  }

  /** The peer ended the stream or its socket failed: the handler hears it once it is released. */
  private void peerEnded(Stream stream, int cause) {
    A owner = takeDown(stream);
    handler.ended(owner, cause);
    handler.released(owner);
  }

  private void release(Stream stream) {
    if (stream.state != State.FREE) {
      handler.released(takeDown(stream));
    }
  }

  /**
   * Closes the channel, gives back the queued slots and frees the stream's slot (its id is dead
   * from now on, so whatever the handler does next finds no stream); returns its owner.
   */
  private A takeDown(Stream stream) {
    if (stream.state == State.CLOSING) {
      lingering--;
    }
    unpark(stream);
    dropQueue(stream);
    closeChannel(stream.channel);
    A owner = stream.owner;
    stream.state = State.FREE;
    stream.channel = null;
    stream.key = null;
    stream.owner = null;
    stream.awaitingWritable = false;
    stream.lingerUntil = 0;
    streams.give(stream);
    open--;
    rx.slots(open);
    return owner;
  }

  private void unpark(Stream stream) {
    if (stream.readParked) {
      stream.readParked = false;
      parked--;
    }
  }

  private static void dropQueue(NioTcpStreamSource<?>.Stream stream) {
    stream.queue.clear();
  }

  private void applySocketBuffer(SocketChannel channel) throws IOException {
    channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBuffer);
    channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBuffer);
  }

  private static void closeChannel(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing {} failed: {}", channel, e.getMessage());
    }
  }

  private static void requirePositive(int socketBuffer) {
    if (socketBuffer < 1) {
      throw new IllegalArgumentException(
          "io.tcp.socketBuffer must be positive, got " + socketBuffer);
    }
  }
}
