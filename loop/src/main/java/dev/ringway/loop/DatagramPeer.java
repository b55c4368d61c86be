package dev.ringway.loop;

import dev.ringway.uring.Msghdr;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;

/**
 * Where datagrams to one peer go, kept for as long as the peer is known so that a send prepares
 * nothing: its address (the same object every time, which {@code DatagramChannel} also caches by
 * identity) and the local IPv4 address the peer wrote to, to reply from (0: let the kernel choose).
 * The io_uring engine also keeps the address as a ready {@code sockaddr} to copy into each send's
 * {@link Msghdr}; it is made on first use, so the nio engine never holds one. Loop thread only.
 */
public final class DatagramPeer {
  private InetSocketAddress address;
  private int localIpv4;
  private Msghdr template;

  public DatagramPeer(InetSocketAddress address, int localIpv4) {
    this.address = address;
    this.localIpv4 = localIpv4;
  }

  /** The peer moved (NAT rebinding, roaming): replies go to {@code address} from now on. */
  public void moveTo(InetSocketAddress address, int localIpv4) {
    this.address = address;
    this.localIpv4 = localIpv4;
    if (template != null) {
      template.setPeer(address);
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  /** The local address to reply from, or 0. */
  public int localIpv4() {
    return localIpv4;
  }

  /** The address as a {@code sockaddr} in a message header, made once. */
  Msghdr template() {
    if (template == null) {
      template = Msghdr.allocate(Arena.ofAuto(), 0);
      template.setPeer(address);
    }
    return template;
  }
}
