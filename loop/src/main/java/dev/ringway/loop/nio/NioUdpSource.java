package dev.ringway.loop.nio;

import dev.ringway.loop.DatagramPeer;
import dev.ringway.loop.DatagramReceiver;
import dev.ringway.loop.DatagramSender;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TxPool;
import dev.ringway.uring.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outside over UDP on the {@link NioLoop}: one non-blocking {@link DatagramChannel}. On
 * readiness it receives into one reusable direct buffer until the channel has nothing more (counted
 * as EAGAIN, at most {@value #BATCH} per turn so the inside gets its turn too) and hands each
 * datagram to the receiver; sends go straight from the {@link TxPool} slot's view. A send that
 * would block keeps its slot in a FIFO queue and the channel is watched for writability until the
 * queue has drained; the queue is bounded by the pool ({@code io.tx.slots}), and while every slot
 * is taken the channel is not read (counted as slot exhaustion), which is the back-pressure.
 *
 * <p>Limitations of {@code DatagramChannel}: no {@code IP_PKTINFO}, so with a wildcard bind a reply
 * leaves from the source address the kernel's routing picks rather than the address the peer wrote
 * to; and no {@code MSG_TRUNC}, so a datagram longer than a slot is recognised by filling the one
 * spare byte of the receive buffer, then counted as an error and dropped. The channel caches the
 * last sender's address, so a datagram allocates an address object only when its sender differs
 * from the previous datagram's.
 */
public final class NioUdpSource implements NioSource, DatagramSender {
  private static final Logger log = LoggerFactory.getLogger(NioUdpSource.class);

  /** Datagrams received per readiness before the loop moves on. */
  static final int BATCH = 64;

  private final DatagramChannel channel;
  private final TxPool txPool;
  private final DatagramReceiver receiver;
  // One byte more than a slot: a datagram that fills it was longer than a slot, i.e. truncated.
  private final ByteBuffer receiveBuffer;
  private final PendingSends pending = new PendingSends();
  private SelectionKey key;
  private PathCounters rx;
  private PathCounters tx;
  private boolean readsParked;

  /** A source on the bound {@code channel}, which is switched to non-blocking mode. */
  public NioUdpSource(DatagramChannel channel, TxPool txPool, DatagramReceiver receiver)
      throws IOException {
    this.channel = channel;
    this.txPool = txPool;
    this.receiver = receiver;
    MemorySegment memory = Arena.ofAuto().allocate(TxPool.SLOT_BYTES + 1, 64);
    this.receiveBuffer = memory.asByteBuffer();
    channel.configureBlocking(false);
  }

  /** Adds this source to {@code loop}. */
  public void registerOn(NioLoop loop) {
    loop.register(this);
  }

  @Override
  public void arm(NioLoop loop) throws IOException {
    this.rx = loop.counters(PathName.UDP_RX);
    this.tx = loop.counters(PathName.UDP_TX);
    rx.slots(1);
    tx.slots(txPool.size());
    key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
  }

  @Override
  public void ready(SelectionKey key) {
    int ready = key.readyOps();
    if ((ready & SelectionKey.OP_WRITE) != 0) {
      flush();
    }
    if ((ready & SelectionKey.OP_READ) != 0 && !readsParked) {
      receive();
    }
  }

  @Override
  public void afterSelect() {
    if (readsParked && txPool.free() > 0) {
      readsParked = false;
      key.interestOps(key.interestOps() | SelectionKey.OP_READ);
    }
  }

  @Override
  public void send(TxPool.Slot slot, int length, DatagramPeer peer) {
    transmit(slot, length, peer.address());
  }

  /** As {@link #send}; {@code localIpv4} cannot be honoured on a {@code DatagramChannel}. */
  @Override
  public void sendTo(TxPool.Slot slot, int length, InetSocketAddress address, int localIpv4) {
    transmit(slot, length, address);
  }

  @Override
  public void setSocketBuffer(int bytes) throws IOException {
    channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
    channel.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
  }

  @Override
  public int receiveBuffer() throws IOException {
    return channel.getOption(StandardSocketOptions.SO_RCVBUF);
  }

  /** Datagrams waiting for the socket to take them; loop thread only. */
  int queued() {
    return pending.size();
  }

  @Override
  public void stop() {
    while (pending.size() > 0) {
      txPool.release(pending.slot());
      pending.pop();
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("closing the UDP channel failed: {}", e.getMessage());
    }
  }

  private void receive() {
    for (int i = 0; i < BATCH; i++) {
      if (txPool.free() == 0) {
        // What we would read next could not be answered or sent on: leave it in the socket.
        readsParked = true;
        rx.slotExhausted();
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        return;
      }
      receiveBuffer.clear();
      SocketAddress sender;
      try {
        sender = channel.receive(receiveBuffer);
      } catch (IOException e) {
        rx.completedAtOnce(-Errno.EIO);
        log.debug("UDP receive failed: {}", e.getMessage());
        return;
      }
      if (sender == null) {
        rx.completedAtOnce(-Errno.EAGAIN);
        return;
      }
      int length = receiveBuffer.position();
      rx.completedAtOnce(length);
      if (length > TxPool.SLOT_BYTES) {
        rx.error();
        continue;
      }
      receiveBuffer.flip();
      receiver.datagram(receiveBuffer, length, (InetSocketAddress) sender, 0);
    }
  }

  private void transmit(TxPool.Slot slot, int length, InetSocketAddress address) {
    if (pending.size() == 0 && attempt(slot, length, address)) {
      return;
    }
    if (pending.size() == 0) {
      key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }
    pending.push(slot, length, address);
  }

  /** Sends the queued datagrams in order until the socket would block again. */
  private void flush() {
    while (pending.size() > 0) {
      if (!attempt(pending.slot(), pending.length(), pending.address())) {
        return;
      }
      pending.pop();
    }
    key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
  }

  /**
   * One {@code send}: true when the datagram is done with (sent, or failed and counted), and the
   * slot is back in the pool; false when the socket would block and the caller keeps the slot.
   */
  private boolean attempt(TxPool.Slot slot, int length, InetSocketAddress address) {
    ByteBuffer out = slot.view().limit(length);
    int sent;
    try {
      sent = channel.send(out, address);
    } catch (IOException e) {
      tx.completedAtOnce(-Errno.EIO);
      log.debug("UDP send to {} failed: {}", address, e.getMessage());
      txPool.release(slot);
      return true;
    }
    if (sent == 0) {
      tx.completedAtOnce(-Errno.EAGAIN);
      return false;
    }
    tx.completedAtOnce(sent);
    txPool.release(slot);
    return true;
  }

  /** A FIFO of datagrams waiting to be sent, in arrays that grow; nothing is allocated per send. */
  private static final class PendingSends {
    private TxPool.Slot[] slots = new TxPool.Slot[16];
    private int[] lengths = new int[16];
    private InetSocketAddress[] addresses = new InetSocketAddress[16];
    private int head;
    private int size;

    int size() {
      return size;
    }

    TxPool.Slot slot() {
      return slots[head];
    }

    int length() {
      return lengths[head];
    }

    InetSocketAddress address() {
      return addresses[head];
    }

    void push(TxPool.Slot slot, int length, InetSocketAddress address) {
      if (size == slots.length) {
        grow();
      }
      int at = (head + size) % slots.length;
      slots[at] = slot;
      lengths[at] = length;
      addresses[at] = address;
      size++;
    }

    void pop() {
      slots[head] = null;
      addresses[head] = null;
      head = (head + 1) % slots.length;
      size--;
    }

    private void grow() {
      int capacity = slots.length * 2;
      TxPool.Slot[] movedSlots = new TxPool.Slot[capacity];
      int[] movedLengths = new int[capacity];
      InetSocketAddress[] movedAddresses = new InetSocketAddress[capacity];
      for (int i = 0; i < size; i++) {
        int from = (head + i) % slots.length;
        movedSlots[i] = slots[from];
        movedLengths[i] = lengths[from];
        movedAddresses[i] = addresses[from];
      }
      slots = movedSlots;
      lengths = movedLengths;
      addresses = movedAddresses;
      head = 0;
    }
  }
}
