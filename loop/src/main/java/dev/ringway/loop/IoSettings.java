package dev.ringway.loop;

/**
 * What a data plane is opened with: the {@code io.*} settings, engine-neutral. An engine uses what
 * it has a meaning for and ignores the rest (nio has no ring, no read slots and no TUN blocking
 * mode).
 *
 * @param ringEntries submission queue entries ({@code io.ring.entries})
 * @param ringCqEntries completion queue entries ({@code io.ring.cqEntries})
 * @param sqpollIdleMillis SQPOLL idle time, 0 for no SQPOLL thread ({@code io.ring.sqpollIdle})
 * @param tunRxSlots concurrent TUN reads ({@code io.tun.rxSlots})
 * @param tunBlocking whether the TUN fd is in blocking mode ({@code io.tun.blocking})
 * @param txSlots the TX pool's size ({@code io.tx.slots})
 * @param udpRxSlots concurrent UDP receives ({@code io.udp.rxSlots})
 * @param udpSocketBuffer the UDP socket's buffers ({@code io.udp.socketBuffer})
 * @param tcpSocketBuffer each stream's buffers and queue bound ({@code io.tcp.socketBuffer})
 * @param tcpMaxConnections streams open at once ({@code io.tcp.maxConnections})
 * @param tickNanos how often the loop's tick runs
 * @param statsNanos how often the loop takes a {@link LoopSnapshot}
 */
public record IoSettings(
    int ringEntries,
    int ringCqEntries,
    int sqpollIdleMillis,
    int tunRxSlots,
    boolean tunBlocking,
    int txSlots,
    int udpRxSlots,
    int udpSocketBuffer,
    int tcpSocketBuffer,
    int tcpMaxConnections,
    long tickNanos,
    long statsNanos) {}
