package dev.ringway.core.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * One side of an in-memory (D)TLS conversation in the tests: collects what its session emits and
 * plays the event loop, running delegated tasks as soon as they appear.
 */
final class Peer implements TlsSession.Output {
  final TlsSession session;
  final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
  final List<byte[]> records = new ArrayList<>();
  final ByteArrayOutputStream stream = new ByteArrayOutputStream();

  /** Whether delegated tasks wait for the end of a delivery round, as a busy worker pool would. */
  boolean deferTasks;

  Peer(TlsSession session) {
    this.session = session;
  }

  @Override
  public void outsideBytes(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    outbox.add(copy);
  }

  @Override
  public void plaintext(ByteBuffer plaintext) {
    byte[] copy = new byte[plaintext.remaining()];
    plaintext.get(copy);
    records.add(copy);
    stream.writeBytes(copy);
  }

  void receive(byte[] bytes) throws SSLException {
    session.receive(ByteBuffer.wrap(bytes), this);
    if (!deferTasks) {
      runTasks();
    }
  }

  void runTasks() throws SSLException {
    for (Runnable task = session.takeDelegatedTask(); task != null; ) {
      task.run();
      session.resume(this);
      task = session.takeDelegatedTask();
    }
  }

  void send(String text) throws SSLException {
    if (!session.send(ByteBuffer.wrap(text.getBytes()), this)) {
      throw new IllegalStateException("session refused application data");
    }
  }

  List<String> recordTexts() {
    return records.stream().map(String::new).toList();
  }
}
