package dev.ringway.loop.uring;

import dev.ringway.loop.DatagramPeer;
import dev.ringway.loop.DatagramReceiver;
import dev.ringway.loop.DatagramSender;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TxPool;
import dev.ringway.uring.Errno;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.Msghdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outside over UDP: {@code io.udp.rxSlots} concurrent {@code recvmsg} on one blocking socket
 * (so the ring never reports {@code -EAGAIN} for it), and {@code sendmsg} from {@link TxPool}
 * slots.
 *
 * <p>user_data: tag {@code rxTag}, index = receive slot, generation = the slot's arming count; tag
 * {@code txTag}, index = {@link TxPool} slot. A receive slot holds a {@link TxPool#SLOT_BYTES}
 * buffer, its ByteBuffer view and a {@link Msghdr} with room for the peer's address and one {@code
 * IP_PKTINFO} control message, so that a reply can leave from the local address the peer used.
 *
 * <p>Live changes: more slots are armed at once; extra slots are cancelled and retired when their
 * receive completes (a datagram that arrives instead is processed first); socket buffer sizes are
 * set with setsockopt.
 */
public final class UdpSource implements IoSource, DatagramSender {
  private static final Logger log = LoggerFactory.getLogger(UdpSource.class);

  private final int fd;
  private final int rxTag;
  private final int txTag;
  private final TxPool txPool;
  private final DatagramReceiver receiver;
  private final SenderAddresses senders = new SenderAddresses();
  // One message header per TX slot index, made on the slot's first UDP send; the kernel reads it
  // until the send completes, and the array keeps it reachable until then.
  private Msghdr[] sendHeaders = new Msghdr[0];
  private final List<ReceiveSlot> slots = new ArrayList<>();
  private EventLoop loop;
  private PathCounters rx;
  private PathCounters tx;
  private int target;
  private boolean stopping;
  private int inFlight;

  private static final class ReceiveSlot {
    final MemorySegment buffer;
    final ByteBuffer view;
    final Msghdr msghdr;
    int generation;
    boolean armed;
    boolean parked;

    ReceiveSlot() {
      Arena arena = Arena.ofAuto();
      this.buffer = arena.allocate(TxPool.SLOT_BYTES, 64);
      this.view = buffer.asByteBuffer();
      this.msghdr = Msghdr.allocate(arena, Msghdr.PKTINFO_CONTROL);
    }
  }

  /**
   * A source on the bound UDP socket {@code fd}; the socket is switched to blocking mode and {@code
   * IP_PKTINFO} is enabled on it.
   */
  public UdpSource(
      int fd, int rxSlots, TxPool txPool, int rxTag, int txTag, DatagramReceiver receiver)
      throws LinuxException {
    this.fd = fd;
    this.target = rxSlots;
    this.txPool = txPool;
    this.rxTag = rxTag;
    this.txTag = txTag;
    this.receiver = receiver;
    LinuxFiles.setNonBlocking(fd, false);
    LinuxSockets.setOption(fd, LinuxSockets.IPPROTO_IP, LinuxSockets.IP_PKTINFO, 1);
  }

  /** Registers this source's two tags on {@code loop}. */
  public void registerOn(EventLoop loop) {
    loop.register(rxTag, this);
    loop.register(txTag, this);
  }

  /** The socket. */
  public int fd() {
    return fd;
  }

  /** The configured number of receive slots. */
  public int rxSlots() {
    return target;
  }

  @Override
  public void arm(EventLoop loop) {
    this.loop = loop;
    this.rx = loop.counters(PathName.UDP_RX);
    this.tx = loop.counters(PathName.UDP_TX);
    while (slots.size() < target) {
      slots.add(new ReceiveSlot());
    }
    rx.slots(target);
    tx.slots(txPool.size());
    for (int i = 0; i < target; i++) {
      armReceive(i);
    }
  }

  /** Changes the number of concurrent receives; see the class comment. Loop thread only. */
  public void resize(int rxSlots) {
    if (rxSlots < 1) {
      throw new IllegalArgumentException("io.udp.rxSlots must be at least 1, got " + rxSlots);
    }
    int old = target;
    target = rxSlots;
    rx.slots(rxSlots);
    while (slots.size() < rxSlots) {
      slots.add(new ReceiveSlot());
    }
    for (int i = old; i < rxSlots; i++) {
      if (!slots.get(i).armed) {
        armReceive(i);
      }
    }
    for (int i = rxSlots; i < slots.size(); i++) {
      ReceiveSlot slot = slots.get(i);
      slot.parked = false;
      if (slot.armed) {
        long armedAs = UserData.of(rxTag, slot.generation, i);
        loop.ring().prepCancel(armedAs, UserData.of(UserData.IGNORED, 0, 0));
      }
    }
    trimRetired();
  }

  /** Sets {@code SO_SNDBUF} and {@code SO_RCVBUF} (the kernel doubles the value it stores). */
  @Override
  public void setSocketBuffer(int bytes) throws LinuxException {
    LinuxSockets.setOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_SNDBUF, bytes);
    LinuxSockets.setOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF, bytes);
  }

  @Override
  public int receiveBuffer() throws LinuxException {
    return LinuxSockets.option(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF) / 2;
  }

  @Override
  public void send(TxPool.Slot slot, int length, DatagramPeer peer) {
    Msghdr header = sendHeader(slot);
    if (peer.prepared() instanceof PeerHeader prepared) {
      header.copyPeerFrom(prepared.msghdr);
    } else {
      PeerHeader prepared = new PeerHeader(peer.address());
      peer.prepared(prepared);
      header.copyPeerFrom(prepared.msghdr);
    }
    send(slot, length, peer.localIpv4());
  }

  @Override
  public void sendTo(TxPool.Slot slot, int length, InetSocketAddress address, int localIpv4) {
    sendHeader(slot).setPeer(address);
    send(slot, length, localIpv4);
  }

  /**
   * Sends {@code length} bytes of {@code slot}'s buffer to the peer already set in its header; with
   * {@code localIpv4} non-zero the datagram leaves from that local address. The slot is released
   * when the send completes.
   */
  private void send(TxPool.Slot slot, int length, int localIpv4) {
    Msghdr msghdr = sendHeader(slot);
    if (localIpv4 != 0) {
      msghdr.setSourcePktinfo(0, localIpv4);
    } else {
      msghdr.clearControl();
    }
    msghdr.armSend(slot.buffer(), length);
    long userData = UserData.of(txTag, 0, slot.index());
    if (!loop.ring().prepSendmsg(fd, msghdr, LinuxSockets.MSG_NOSIGNAL, userData)) {
      tx.slotExhausted();
      txPool.release(slot);
      return;
    }
    tx.submitted();
    inFlight++;
  }

  @Override
  public void complete(long userData, int res, int flags) {
    inFlight--;
    int index = UserData.index(userData);
    if (UserData.tag(userData) == txTag) {
      tx.completed(res);
      if (res < 0 && res != -Errno.ECANCELED) {
        log.debug("UDP send failed: errno {}", -res);
      }
      txPool.release(txPool.slot(index));
      return;
    }
    ReceiveSlot slot = slots.get(index);
    slot.armed = false;
    rx.completed(res);
    if (res >= 0) {
      if ((slot.msghdr.flags() & LinuxSockets.MSG_TRUNC) != 0) {
        rx.error();
      } else {
        slot.view.clear().limit(res);
        receiver.datagram(
            slot.view, res, senders.senderOf(slot.msghdr), slot.msghdr.pktinfoDestination());
      }
    } else if (res != -Errno.ECANCELED) {
      log.debug("UDP receive failed: errno {}", -res);
    }
    if (stopping) {
      return;
    }
    if (index >= target) {
      trimRetired();
      return;
    }
    if (txPool.free() == 0) {
      slot.parked = true;
      rx.slotExhausted();
    } else {
      armReceive(index);
    }
  }

  @Override
  public void afterBatch() {
    if (txPool.free() == 0 || stopping) {
      return;
    }
    for (int i = 0; i < target; i++) {
      ReceiveSlot slot = slots.get(i);
      if (slot.parked) {
        slot.parked = false;
        armReceive(i);
      }
    }
  }

  @Override
  public void cancelAll(EventLoop loop) {
    stopping = true;
    for (int i = 0; i < slots.size(); i++) {
      ReceiveSlot slot = slots.get(i);
      if (slot.armed) {
        loop.ring()
            .prepCancel(
                UserData.of(rxTag, slot.generation, i), UserData.of(UserData.IGNORED, 0, 0));
      }
    }
  }

  @Override
  public void moveReads(EventLoop loop, dev.ringway.uring.Ring old) {
    for (int i = 0; i < slots.size(); i++) {
      var slot = slots.get(i);
      if (slot.armed) {
        old.prepCancel(UserData.of(rxTag, slot.generation, i), UserData.of(UserData.IGNORED, 0, 0));
      }
    }
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public void close() {
    try {
      LinuxFiles.close(fd);
    } catch (LinuxException e) {
      log.warn("closing the UDP socket failed: {}", e.getMessage());
    }
  }

  private void armReceive(int index) {
    ReceiveSlot slot = slots.get(index);
    slot.generation++;
    slot.msghdr.armReceive(slot.buffer, TxPool.SLOT_BYTES);
    long userData = UserData.of(rxTag, slot.generation, index);
    if (!loop.ring().prepRecvmsg(fd, slot.msghdr, 0, userData)) {
      slot.parked = true;
      return;
    }
    slot.armed = true;
    rx.submitted();
    inFlight++;
  }

  private Msghdr sendHeader(TxPool.Slot slot) {
    int index = slot.index();
    if (index >= sendHeaders.length) {
      sendHeaders = Arrays.copyOf(sendHeaders, Math.max(index + 1, 2 * sendHeaders.length));
    }
    Msghdr header = sendHeaders[index];
    if (header == null) {
      header = Msghdr.allocate(Arena.ofAuto(), Msghdr.PKTINFO_CONTROL);
      sendHeaders[index] = header;
    }
    return header;
  }

  /** A peer's address as a ready {@code sockaddr}, copied into each send's header. */
  private static final class PeerHeader implements DatagramPeer.Prepared {
    final Msghdr msghdr = Msghdr.allocate(Arena.ofAuto(), 0);

    PeerHeader(InetSocketAddress address) {
      msghdr.setPeer(address);
    }

    @Override
    public void moved(InetSocketAddress address) {
      msghdr.setPeer(address);
    }
  }

  private void trimRetired() {
    for (int i = slots.size() - 1; i >= target && !slots.get(i).armed; i--) {
      slots.remove(i);
    }
  }
}
