package dev.ringway.server.jmx;

import java.util.Map;

/**
 * {@code dev.ringway:type=Tunables}: one read/write attribute per live setting. Every write is
 * validated completely and applied at one safe point on the loop; a refused write throws {@link
 * IllegalArgumentException} naming the key, the value and the rule, and changes nothing.
 */
public interface TunablesMXBean {
  int getRingEntries();

  void setRingEntries(int entries);

  long getSqpollIdleMillis();

  void setSqpollIdleMillis(long millis);

  int getTunRxSlots();

  void setTunRxSlots(int slots);

  boolean isTunBlocking();

  void setTunBlocking(boolean blocking);

  int getUdpRxSlots();

  void setUdpRxSlots(int slots);

  int getTxSlots();

  void setTxSlots(int slots);

  int getUdpSocketBufferBytes();

  void setUdpSocketBufferBytes(int bytes);

  int getTcpSocketBufferBytes();

  void setTcpSocketBufferBytes(int bytes);

  int getTcpMaxConnections();

  void setTcpMaxConnections(int connections);

  String getLogLevel();

  void setLogLevel(String level);

  /**
   * Applies every change in {@code changesByYamlKey} (YAML keys such as {@code io.tun.rxSlots},
   * values as YAML text such as {@code 128}, {@code 100ms}, {@code 15MiB}) or none of them.
   *
   * @return what was applied, old → new per key, and how long it took
   * @throws IllegalArgumentException when a key, value or rule is wrong (nothing changed)
   * @throws IllegalStateException when applying failed or timed out (nothing changed)
   */
  String apply(Map<String, String> changesByYamlKey);
}
