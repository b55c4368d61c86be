package dev.ringway.loop;

import java.io.IOException;

/**
 * One way to drive the data plane: {@code uring} (one io_uring ring) or {@code nio} (one {@code
 * java.nio} selector). The only place that knows which is the code that picks one (the server's and
 * the client's start-up); everything after works on the {@link DataPlane} it opens.
 */
public interface Engine {
  /** The engine's name as {@code io.engine} spells it. */
  String name();

  /** A loop and a TX pool set up for {@code settings}, with no sources yet and not running. */
  DataPlane open(IoSettings settings) throws IOException;
}
