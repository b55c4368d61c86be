package dev.ringway.loop;

/** The I/O paths the loop counts separately; {@link #key()} is the name in JMX and the console. */
public enum PathName {
  TUN_RX("tun.rx"),
  TUN_TX("tun.tx"),
  UDP_RX("udp.rx"),
  UDP_TX("udp.tx"),
  TCP_ACCEPT("tcp.accept"),
  TCP_RX("tcp.rx"),
  TCP_TX("tcp.tx");

  private final String key;

  PathName(String key) {
    this.key = key;
  }

  /** The path's name in ObjectNames ({@code dev.ringway:type=Path,name=udp.rx}) and metrics. */
  public String key() {
    return key;
  }
}
