package dev.ringway.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * UDP echo on loopback: one operation is one datagram echoed (received back by the client, which
 * sends the next in its place), so ops/s is echoed packets per second. {@code window} datagrams are
 * in flight: 1 measures a round trip, 16 what the server sustains when it has work queued. Client
 * and server share the machine's cores.
 *
 * <p>Public, like its fields, because JMH's generated harness subclasses it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class UdpEchoBenchmark {
  /** Bytes per datagram: a full-size tunnel packet under a 1500-byte MTU. */
  static final int PAYLOAD_BYTES = 1400;

  @Param({"RINGWAY", "RINGWAY_NO_DEFER_TASKRUN", "NETTY_IO_URING", "NETTY_EPOLL", "JDK_CHANNEL"})
  public EchoServer.Kind server;

  @Param({"1", "16"})
  public int window;

  private EchoServer echoServer;
  private EchoClient client;

  @Setup
  public void start() throws Exception {
    echoServer = server.start();
    client = new EchoClient(echoServer.address(), PAYLOAD_BYTES);
    client.fill(window);
  }

  @TearDown
  public void stop() throws Exception {
    client.close();
    echoServer.close();
  }

  @Benchmark
  public int echo() throws Exception {
    return client.echo();
  }
}
