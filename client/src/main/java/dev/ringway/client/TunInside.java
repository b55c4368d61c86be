package dev.ringway.client;

import dev.ringway.core.conn.InsideConfig;
import dev.ringway.core.tls.Transport;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.TxPool;
import dev.ringway.loop.uring.TunSource;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.Tun;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TUN device as a session's inside, the same over UDP and TCP: packets from the server are
 * written to the device from TX slots, and each Online configures the device from the server's
 * AuthSuccessWithConfigV4 (only when it differs from what is set, so a reconnect to the same server
 * leaves the device alone). Loop thread only.
 */
final class TunInside implements ClientSession.Inside {
  private static final Logger log = LoggerFactory.getLogger(TunInside.class);

  private final Tun tun;
  private final TxPool txPool;
  private final int mtuLimit;
  private final Transport transport;
  private TunSource source;
  private PathCounters tunTx;
  private InsideNetwork configured;

  /** {@code mtuLimit} is {@code network.mtu}; {@code transport} bounds the MTU too. */
  TunInside(Tun tun, TxPool txPool, int mtuLimit, Transport transport) {
    this.tun = tun;
    this.txPool = txPool;
    this.mtuLimit = mtuLimit;
    this.transport = transport;
  }

  /** Writes go to {@code source}; slot shortages are counted on {@code tunTx}. */
  void attach(TunSource source, PathCounters tunTx) {
    this.source = source;
    this.tunTx = tunTx;
  }

  @Override
  public void deliver(ByteBuffer buffer, int offset, int length) {
    if (length > TxPool.SLOT_BYTES) {
      // Larger than the MTU we set: only a server ignoring it (possible over TCP) sends this.
      tunTx.error();
      return;
    }
    TxPool.Slot slot = txPool.acquire();
    if (slot == null) {
      tunTx.slotExhausted();
      return;
    }
    slot.view().put(0, buffer, offset, length);
    source.write(slot, length);
  }

  /**
   * Configures the device on the loop thread: the ioctls must run in the device's network
   * namespace, which is the loop thread's, and they run only when a connection brings a new
   * configuration.
   */
  @Override
  public boolean online(InsideConfig config) {
    return switch (InsideNetwork.from(config, mtuLimit, transport)) {
      case InsideNetwork.Result.Unusable(String reason) -> {
        log.error("the server's inside configuration is unusable: {}", reason);
        yield false;
      }
      case InsideNetwork.Result.Usable(InsideNetwork network) -> configure(network);
    };
  }

  private boolean configure(InsideNetwork network) {
    if (network.equals(configured)) {
      return true;
    }
    try {
      tun.setAddress(network.address(), network.prefixLength());
      tun.setMtu(network.mtu());
      tun.setUp(true);
    } catch (LinuxException e) {
      log.error("cannot configure TUN {}: {}", tun.name(), e.getMessage());
      return false;
    }
    configured = network;
    log.info(
        "TUN {} is {}/{} with MTU {}",
        tun.name(),
        network.address().getHostAddress(),
        network.prefixLength(),
        network.mtu());
    return true;
  }
}
