package dev.ringway.bench.tunnel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** The rows of the tunnel benchmark, in the order they run and are reported. */
enum Row {
  RINGWAY_UDP_URING("ringway-udp-uring", "ringway udp/uring"),
  RINGWAY_TCP_URING("ringway-tcp-uring", "ringway tcp/uring"),
  RINGWAY_UDP_NIO("ringway-udp-nio", "ringway udp/nio"),
  OPENVPN("openvpn", "OpenVPN 2.6 (userspace)"),
  WIREGUARD_GO("wireguard-go", "wireguard-go"),
  PLAIN("plain", "plain routing (limit)");

  /** The name {@code --only} takes. */
  final String id;

  /** The name the tables show. */
  final String label;

  Row(String id, String label) {
    this.id = id;
    this.label = label;
  }

  boolean isRingway() {
    return this == RINGWAY_UDP_URING || this == RINGWAY_TCP_URING || this == RINGWAY_UDP_NIO;
  }

  /** A fresh tunnel for this row; a Ringway server records a flight recording when one is given. */
  Tunnel tunnel(Optional<Path> flightRecording) {
    return switch (this) {
      case RINGWAY_UDP_URING -> new RingwayTunnel("udp", "uring", flightRecording);
      case RINGWAY_TCP_URING -> new RingwayTunnel("tcp", "uring", flightRecording);
      case RINGWAY_UDP_NIO -> new RingwayTunnel("udp", "nio", flightRecording);
      case OPENVPN -> new OpenVpnTunnel();
      case WIREGUARD_GO -> new WireGuardTunnel();
      case PLAIN -> new PlainRouting();
    };
  }

  static Optional<Row> byId(String id) {
    return Arrays.stream(values()).filter(row -> row.id.equals(id)).findFirst();
  }
}
