package dev.ringway.e2e;

import dev.ringway.testkit.Netns;
import dev.ringway.uring.LinuxFiles;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs test code on a fresh platform thread that has entered a namespace: the sockets it opens live
 * there (network namespaces are per thread).
 */
public final class InNamespace {
  private InNamespace() {}

  public static <T> CompletableFuture<T> run(Netns netns, Callable<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("in-" + netns.name())
        .start(() -> {
          try {
            LinuxFiles.enterNetworkNamespace(netns.name());
            result.complete(body.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }
}
