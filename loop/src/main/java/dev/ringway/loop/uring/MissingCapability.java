package dev.ringway.loop.uring;

import dev.ringway.uring.Errno;
import dev.ringway.uring.LinuxException;

/**
 * Turns the errors of a missing capability into what is missing and how to provide it, for the
 * server and the client alike (both set up a TUN device and a ring the same way).
 */
public final class MissingCapability {
  private static final int ENOSYS = 38;
  private static final int EACCES = 13;
  private static final int ENODEV = 19;

  private MissingCapability() {}

  /** The operator's explanation for a failure to create the TUN device. */
  public static String tun(LinuxException e) {
    return switch (e.errno()) {
      case Errno.ENOENT, ENODEV ->
          "/dev/net/tun is missing: load the tun module (modprobe tun) or, in a container, pass"
              + " the device in (--device /dev/net/tun)";
      case Errno.EPERM, EACCES ->
          "creating a TUN device needs CAP_NET_ADMIN: run as root, or grant the capability"
              + " (systemd AmbientCapabilities=CAP_NET_ADMIN, or setcap cap_net_admin+ep on java)";
      case Errno.EBUSY ->
          "the TUN device is in use by another process: choose another name with network.tun";
      case Errno.EINVAL ->
          "network.tun names an interface that is not a TUN device: choose another name ("
              + e.getMessage()
              + ")";
      default -> "cannot create the TUN device: " + e.getMessage();
    };
  }

  /** The operator's explanation for a failure to set up io_uring. */
  public static String ring(LinuxException e) {
    return switch (e.errno()) {
      case Errno.EPERM ->
          "io_uring is not permitted here (EPERM): check sysctl kernel.io_uring_disabled (0"
              + " allows every process; 1 only those with CAP_SYS_ADMIN or in"
              + " kernel.io_uring_group) and any seccomp profile";
      case ENOSYS ->
          "this kernel has no io_uring (ENOSYS): Linux 6.1 or newer with CONFIG_IO_URING is needed";
      case Errno.ENOMEM ->
          "io_uring could not lock memory for the ring (ENOMEM): raise the memlock limit"
              + " (ulimit -l, systemd LimitMEMLOCK=) or lower io.ring.entries";
      default -> "cannot set up io_uring: " + e.getMessage();
    };
  }
}
