package dev.ringway.core.tls;

import dev.ringway.core.dtls.DtlsCookieGate;
import dev.ringway.core.dtls.DtlsServerConfig;
import dev.ringway.core.dtls.DtlsSession;
import dev.ringway.core.dtls.DtlsStats;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * A DTLS 1.3 server's front door, one per server loop: every datagram from an address with no
 * connection goes through its {@link DtlsCookieGate} before anything is created for it, and only a
 * cookie-validated ClientHello becomes a channel ({@link #accept}). The stats are shared by the
 * gate and every session made here. Loop thread only.
 */
public final class DtlsFront {
  private final DtlsServerConfig config;
  private final DtlsStats stats = new DtlsStats();
  private final DtlsCookieGate gate;
  private final LongSupplier nanoClock;

  DtlsFront(DtlsServerConfig config, LongSupplier nanoClock) {
    this.config = config;
    this.gate = new DtlsCookieGate(config, stats);
    this.nanoClock = nanoClock;
  }

  /**
   * Judges one datagram payload (after the Lightway header; position to limit, left unchanged) from
   * {@code address}; a HelloRetryRequest is written at {@code reply}'s position.
   */
  public DtlsCookieGate.Verdict admit(ByteBuffer payload, byte[] address, ByteBuffer reply) {
    return gate.check(payload, address, nanoClock.getAsLong(), reply);
  }

  /** The channel for the ClientHello the last {@link #admit} accepted; {@link #start} it next. */
  public DtlsChannel accept() {
    return new DtlsChannel(DtlsSession.server(config, gate.accepted(), stats), false, nanoClock);
  }

  /** Handshake and drop counters of the gate and all sessions made here. */
  public DtlsStats stats() {
    return stats;
  }
}
