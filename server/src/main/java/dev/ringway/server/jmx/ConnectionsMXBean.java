package dev.ringway.server.jmx;

import java.util.SortedMap;

/** {@code dev.ringway:type=Connections}: the clients, and a way to disconnect one. */
public interface ConnectionsMXBean {
  int getCount();

  int getOnline();

  /** One row per connection keyed by session id (TabularData over JMX), read on the loop. */
  SortedMap<String, ConnectionRow> list();

  /**
   * Says Goodbye to the connection with session id {@code session} (16 hex digits, as {@link
   * #list()} shows it).
   *
   * @return whether such a connection existed
   */
  boolean disconnect(String session);
}
