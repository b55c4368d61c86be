package dev.ringway.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns io_uring off for unprivileged processes ({@code kernel.io_uring_disabled = 1}: only
 * processes with CAP_SYS_ADMIN, or in {@code kernel.io_uring_group}, may set up rings) until
 * closed, then puts back the value it found. The setting is global, so hold it only as long as a
 * test needs it, in a try-with-resources block; processes that keep CAP_SYS_ADMIN, such as other
 * tests running as root, are not affected.
 */
final class IoUringSwitch implements AutoCloseable {
  private static final Path SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

  private final String previous;

  private IoUringSwitch(String previous) {
    this.previous = previous;
  }

  /** Sets {@code kernel.io_uring_disabled} to 1; closing restores the value it had. */
  static IoUringSwitch disableForUnprivileged() throws IOException {
    String previous = Files.readString(SYSCTL).strip();
    Files.writeString(SYSCTL, "1");
    return new IoUringSwitch(previous);
  }

  @Override
  public void close() throws IOException {
    Files.writeString(SYSCTL, previous);
  }
}
