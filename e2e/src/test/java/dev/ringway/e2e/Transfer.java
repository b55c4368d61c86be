package dev.ringway.e2e;

import dev.ringway.testkit.Netns;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/** A TCP transfer through the tunnel: random bytes out of one namespace, digested at both ends. */
final class Transfer {
  /** What one end saw: how many bytes and their SHA-256. */
  record Digest(long bytes, String sha256) {}

  private Transfer() {}

  /** Listens on {@code address}:{@code port} in {@code netns} and digests one connection. */
  static CompletableFuture<Digest> sink(
      Netns netns, String address, int port, CompletableFuture<Void> listening) {
    return InNamespace.run(
        netns,
        () -> {
          try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            listening.complete(null);
            server.setSoTimeout(60_000);
            try (Socket socket = server.accept();
                InputStream in = socket.getInputStream()) {
              socket.setSoTimeout(60_000);
              MessageDigest sha = MessageDigest.getInstance("SHA-256");
              byte[] buffer = new byte[1 << 16];
              long total = 0;
              int n;
              while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                total += n;
              }
              return new Digest(total, HexFormat.of().formatHex(sha.digest()));
            }
          }
        });
  }

  /** Sends {@code bytes} pseudo-random bytes from {@code netns} to {@code address}:{@code port}. */
  static CompletableFuture<Digest> source(Netns netns, String address, int port, long bytes) {
    return InNamespace.run(
        netns,
        () -> {
          SplittableRandom random = new SplittableRandom(bytes);
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          byte[] buffer = new byte[1 << 16];
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 10_000);
            OutputStream out = socket.getOutputStream();
            long sent = 0;
            while (sent < bytes) {
              random.nextBytes(buffer);
              int n = (int) Math.min(buffer.length, bytes - sent);
              out.write(buffer, 0, n);
              sha.update(buffer, 0, n);
              sent += n;
            }
            socket.shutdownOutput();
            socket.getInputStream().read();
            return new Digest(sent, HexFormat.of().formatHex(sha.digest()));
          }
        });
  }
}
