package dev.ringway.loop;

import java.net.InetSocketAddress;

/**
 * Where datagrams to one peer go, kept for as long as the peer is known so that a send prepares
 * nothing: its address (the same object every time, which {@code DatagramChannel} also caches by
 * identity) and the local IPv4 address the peer wrote to, to reply from (0: let the kernel choose).
 * An engine may keep what it prepared for the peer beside it ({@link Prepared}: the io_uring
 * engine's ready {@code sockaddr}); it is made on first use and told when the peer moves. Loop
 * thread only.
 */
public final class DatagramPeer {
  /** What an engine prepared for sending to a peer, kept with the peer. */
  public interface Prepared {
    /** The peer moved: sends go to {@code address} from now on. */
    void moved(InetSocketAddress address);
  }

  private InetSocketAddress address;
  private int localIpv4;
  private Prepared prepared;

  public DatagramPeer(InetSocketAddress address, int localIpv4) {
    this.address = address;
    this.localIpv4 = localIpv4;
  }

  /** The peer moved (NAT rebinding, roaming): replies go to {@code address} from now on. */
  public void moveTo(InetSocketAddress address, int localIpv4) {
    this.address = address;
    this.localIpv4 = localIpv4;
    if (prepared != null) {
      prepared.moved(address);
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  /** The local address to reply from, or 0. */
  public int localIpv4() {
    return localIpv4;
  }

  /** What the sending engine prepared for this peer, or null before its first send. */
  public Prepared prepared() {
    return prepared;
  }

  /** Keeps what the sending engine prepared for this peer. */
  public void prepared(Prepared prepared) {
    this.prepared = prepared;
  }
}
