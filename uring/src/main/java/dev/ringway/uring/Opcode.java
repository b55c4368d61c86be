package dev.ringway.uring;

/** io_uring operations ({@code IORING_OP_*}), in kernel numbering, as the probe reports them. */
public enum Opcode {
  NOP,
  READV,
  WRITEV,
  FSYNC,
  READ_FIXED,
  WRITE_FIXED,
  POLL_ADD,
  POLL_REMOVE,
  SYNC_FILE_RANGE,
  SENDMSG,
  RECVMSG,
  TIMEOUT,
  TIMEOUT_REMOVE,
  ACCEPT,
  ASYNC_CANCEL,
  LINK_TIMEOUT,
  CONNECT,
  FALLOCATE,
  OPENAT,
  CLOSE,
  FILES_UPDATE,
  STATX,
  READ,
  WRITE,
  FADVISE,
  MADVISE,
  SEND,
  RECV,
  OPENAT2,
  EPOLL_CTL,
  SPLICE,
  PROVIDE_BUFFERS,
  REMOVE_BUFFERS,
  TEE,
  SHUTDOWN,
  RENAMEAT,
  UNLINKAT,
  MKDIRAT,
  SYMLINKAT,
  LINKAT,
  MSG_RING,
  FSETXATTR,
  SETXATTR,
  FGETXATTR,
  GETXATTR,
  SOCKET,
  URING_CMD,
  SEND_ZC,
  SENDMSG_ZC,
  READ_MULTISHOT,
  WAITID,
  FUTEX_WAIT,
  FUTEX_WAKE,
  FUTEX_WAITV,
  FIXED_FD_INSTALL,
  FTRUNCATE,
  BIND,
  LISTEN,
  RECV_ZC,
  EPOLL_WAIT,
  READV_FIXED,
  WRITEV_FIXED,
  PIPE;

  /** The kernel's number for this operation. */
  public int code() {
    return ordinal();
  }

  /** The operation numbered {@code code}, or null when this binding does not know it. */
  static Opcode of(int code) {
    Opcode[] all = values();
    return code >= 0 && code < all.length ? all[code] : null;
  }
}
