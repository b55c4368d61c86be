package dev.ringway.loop.nio;

import java.nio.channels.SelectionKey;

/**
 * What a selection key on the {@link NioLoop} carries as its attachment: whoever handles its
 * readiness. A source with one channel attaches itself ({@link NioSource}); one with a channel per
 * connection attaches each connection. Loop thread only.
 */
interface ReadinessHandler {
  /** The key is ready: {@link SelectionKey#readyOps()} says for what. */
  void ready(SelectionKey key);
}
