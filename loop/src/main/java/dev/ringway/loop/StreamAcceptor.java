package dev.ringway.loop;

import java.net.InetSocketAddress;

/**
 * Takes each connection a listener accepted, on either engine: the listener asks for the stream's
 * owner, opens the stream for it on its engine's {@link StreamSender}, and reports the stream's id.
 * A connection refused by {@code io.tcp.maxConnections}, or gone before its address could be read,
 * never reaches the acceptor: the listener closes it. Loop thread only.
 *
 * @param <A> what the owner attaches to each stream
 */
public interface StreamAcceptor<A> {
  /** After an accept failed (out of fds, say), the next one waits this long instead of spinning. */
  long RETRY_NANOS = 100_000_000L;

  /** A new connection from {@code peer}: the owner its stream reports to. */
  A accepted(InetSocketAddress peer);

  /** The stream of {@code owner} is open as {@code id}, or could not be set up ({@code -1}). */
  void opened(A owner, long id);
}
