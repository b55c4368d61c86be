package dev.ringway.bench.tunnel;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything a benchmark run has set up and must take down — namespaces, tunnels, their processes —
 * closed in reverse order when the run ends, and also by a shutdown hook when the run is stopped
 * with Ctrl-C or SIGTERM, so no namespace, process or device outlives the run. Whichever comes
 * first closes a resource; the other finds it gone.
 */
final class Teardown implements AutoCloseable {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final Thread hook = new Thread(this::interrupted, "ringway-bench-teardown");
  private boolean stopped;

  private Teardown() {}

  static Teardown install() {
    Teardown teardown = new Teardown();
    Runtime.getRuntime().addShutdownHook(teardown.hook);
    return teardown;
  }

  /** Keeps {@code resource} until the run ends. */
  <T extends AutoCloseable> T add(T resource) {
    keep(resource);
    return resource;
  }

  /** Keeps {@code resource} until the returned step is closed (or the run is stopped). */
  Step during(AutoCloseable resource) {
    keep(resource);
    return () -> closeOnce(resource);
  }

  private synchronized void keep(AutoCloseable resource) {
    if (stopped) {
      throw new MeasurementException("the run was stopped");
    }
    open.push(resource);
  }

  /** A resource held for part of the run. */
  interface Step extends AutoCloseable {
    @Override
    void close();
  }

  private synchronized void closeOnce(AutoCloseable resource) {
    if (open.remove(resource)) {
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("ringway bench: cleanup failed: " + e);
      }
    }
  }

  private synchronized void closeAll() {
    AutoCloseable next;
    while ((next = open.peek()) != null) {
      closeOnce(next);
    }
  }

  /** The shutdown hook: the run was stopped; stop what it started, then take the rest down. */
  private void interrupted() {
    synchronized (this) {
      stopped = true;
      if (open.isEmpty()) {
        return;
      }
    }
    System.err.println("ringway bench: stopped; cleaning up");
    // iperf3 and ping clients the run is waiting on are this JVM's children too.
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
    closeAll();
  }

  @Override
  public void close() {
    closeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running and finds nothing left.
    }
  }
}
