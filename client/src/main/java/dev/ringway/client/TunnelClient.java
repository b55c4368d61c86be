package dev.ringway.client;

/**
 * A running Linux client, whichever its outside transport: {@link UdpClient} or {@link TcpClient}.
 * {@link ClientMain} and the signal handling drive either through this.
 */
public sealed interface TunnelClient permits UdpClient, TcpClient {
  /**
   * Runs the client on the calling thread until {@link #stop()}; returns once the loop has stopped.
   *
   * @throws ClientFailure when a device, socket or ring cannot be had, or the loop fails
   */
  void run() throws ClientFailure;

  /** Says Goodbye to the server and stops the loop; safe from any thread, idempotent. */
  void stop();

  /** The session's latest status; safe from any thread. */
  ClientStatus status();
}
