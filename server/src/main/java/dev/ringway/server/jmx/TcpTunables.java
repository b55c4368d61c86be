package dev.ringway.server.jmx;

/**
 * The two tunables of TCP mode, implemented by the TCP side of the server. Both are called on the
 * loop thread, inside a change that is being applied.
 */
public interface TcpTunables {
  /** Sets SO_SNDBUF/SO_RCVBUF on every existing connection and on those accepted from now on. */
  void setSocketBuffer(int bytes) throws Exception;

  /** Accepts at most {@code connections} at once from now on; never closes an existing one. */
  void setMaxConnections(int connections);
}
