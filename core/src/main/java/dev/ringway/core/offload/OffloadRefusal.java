package dev.ringway.core.offload;

/** Why a packet was refused by {@link Segmenter}; the caller counts it and drops the packet. */
public enum OffloadRefusal {
  TRUNCATED("shorter than the virtio-net header and an IP header"),
  UNSUPPORTED_GSO_TYPE("GSO type other than NONE, TCPV4, TCPV6 or UDP_L4"),
  GSO_TYPE_MISMATCH("GSO type does not match the IP version or protocol"),
  BAD_IP_HEADER("IP version or header length invalid"),
  INCONSISTENT_LENGTH("IP or UDP length field disagrees with the bytes read"),
  FRAGMENTED("IPv4 fragment"),
  IPV6_EXTENSION_HEADERS("IPv6 extension headers are not segmented"),
  BAD_TRANSPORT_HEADER("TCP data offset or UDP header beyond the packet"),
  HEADER_LENGTH_BEYOND_PACKET("hdr_len beyond the packet"),
  CHECKSUM_OUT_OF_PACKET("csum_start/csum_offset beyond the packet"),
  CHECKSUM_LOCATION("csum_start/csum_offset not at the transport checksum"),
  ZERO_GSO_SIZE("gso_size 0"),
  NO_PAYLOAD("GSO packet without payload"),
  TOO_MANY_SEGMENTS("more segments than Segmenter.MAX_SEGMENTS"),
  NO_ROOM("the output buffer cannot hold the segment");

  private final String reason;

  OffloadRefusal(String reason) {
    this.reason = reason;
  }

  /** The rule the packet broke, for logs and counters. */
  public String reason() {
    return reason;
  }
}
