package dev.ringway.uring;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The kernel structures of {@code <linux/io_uring.h>} as layouts, with every field offset computed
 * once into a constant: looking an offset up per call costs several times more than reading a
 * {@code static final}.
 */
final class Layouts {
  private Layouts() {}

  /** {@code struct io_uring_sqe}, the 64-byte form (no SQE128). */
  static final StructLayout SQE =
      structLayout(
          JAVA_BYTE.withName("opcode"),
          JAVA_BYTE.withName("flags"),
          JAVA_SHORT.withName("ioprio"),
          JAVA_INT.withName("fd"),
          JAVA_LONG.withName("off"),
          JAVA_LONG.withName("addr"),
          JAVA_INT.withName("len"),
          JAVA_INT.withName("op_flags"),
          JAVA_LONG.withName("user_data"),
          JAVA_SHORT.withName("buf_index"),
          JAVA_SHORT.withName("personality"),
          JAVA_INT.withName("file_index"),
          JAVA_LONG.withName("addr3"),
          JAVA_LONG.withName("pad2"));

  static final long SQE_OPCODE = offset(SQE, "opcode");
  static final long SQE_FLAGS = offset(SQE, "flags");
  static final long SQE_IOPRIO = offset(SQE, "ioprio");
  static final long SQE_FD = offset(SQE, "fd");
  static final long SQE_OFF = offset(SQE, "off");
  static final long SQE_ADDR = offset(SQE, "addr");
  static final long SQE_LEN = offset(SQE, "len");
  static final long SQE_OP_FLAGS = offset(SQE, "op_flags");
  static final long SQE_USER_DATA = offset(SQE, "user_data");
  static final long SQE_BUF_INDEX = offset(SQE, "buf_index");
  static final long SQE_SIZE = SQE.byteSize();

  /** {@code struct io_uring_cqe}, the 16-byte form (no CQE32). */
  static final StructLayout CQE =
      structLayout(
          JAVA_LONG.withName("user_data"), JAVA_INT.withName("res"), JAVA_INT.withName("flags"));

  static final long CQE_USER_DATA = offset(CQE, "user_data");
  static final long CQE_RES = offset(CQE, "res");
  static final long CQE_FLAGS = offset(CQE, "flags");
  static final long CQE_SIZE = CQE.byteSize();

  /** {@code struct io_sqring_offsets}. */
  static final StructLayout SQ_OFFSETS =
      structLayout(
          JAVA_INT.withName("head"),
          JAVA_INT.withName("tail"),
          JAVA_INT.withName("ring_mask"),
          JAVA_INT.withName("ring_entries"),
          JAVA_INT.withName("flags"),
          JAVA_INT.withName("dropped"),
          JAVA_INT.withName("array"),
          JAVA_INT.withName("resv1"),
          JAVA_LONG.withName("user_addr"));

  /** {@code struct io_cqring_offsets}. */
  static final StructLayout CQ_OFFSETS =
      structLayout(
          JAVA_INT.withName("head"),
          JAVA_INT.withName("tail"),
          JAVA_INT.withName("ring_mask"),
          JAVA_INT.withName("ring_entries"),
          JAVA_INT.withName("overflow"),
          JAVA_INT.withName("cqes"),
          JAVA_INT.withName("flags"),
          JAVA_INT.withName("resv1"),
          JAVA_LONG.withName("user_addr"));

  /** {@code struct io_uring_params}. */
  static final StructLayout PARAMS =
      structLayout(
          JAVA_INT.withName("sq_entries"),
          JAVA_INT.withName("cq_entries"),
          JAVA_INT.withName("flags"),
          JAVA_INT.withName("sq_thread_cpu"),
          JAVA_INT.withName("sq_thread_idle"),
          JAVA_INT.withName("features"),
          JAVA_INT.withName("wq_fd"),
          sequenceLayout(3, JAVA_INT).withName("resv"),
          SQ_OFFSETS.withName("sq_off"),
          CQ_OFFSETS.withName("cq_off"));

  static final long P_SQ_ENTRIES = offset(PARAMS, "sq_entries");
  static final long P_CQ_ENTRIES = offset(PARAMS, "cq_entries");
  static final long P_FLAGS = offset(PARAMS, "flags");
  static final long P_SQ_THREAD_IDLE = offset(PARAMS, "sq_thread_idle");
  static final long P_FEATURES = offset(PARAMS, "features");
  static final long P_SQ_OFF = offset(PARAMS, "sq_off");
  static final long P_CQ_OFF = offset(PARAMS, "cq_off");
  static final long SQ_OFF_HEAD = offset(SQ_OFFSETS, "head");
  static final long SQ_OFF_TAIL = offset(SQ_OFFSETS, "tail");
  static final long SQ_OFF_MASK = offset(SQ_OFFSETS, "ring_mask");
  static final long SQ_OFF_FLAGS = offset(SQ_OFFSETS, "flags");
  static final long SQ_OFF_DROPPED = offset(SQ_OFFSETS, "dropped");
  static final long SQ_OFF_ARRAY = offset(SQ_OFFSETS, "array");
  static final long CQ_OFF_HEAD = offset(CQ_OFFSETS, "head");
  static final long CQ_OFF_TAIL = offset(CQ_OFFSETS, "tail");
  static final long CQ_OFF_MASK = offset(CQ_OFFSETS, "ring_mask");
  static final long CQ_OFF_ENTRIES = offset(CQ_OFFSETS, "ring_entries");
  static final long CQ_OFF_OVERFLOW = offset(CQ_OFFSETS, "overflow");
  static final long CQ_OFF_CQES = offset(CQ_OFFSETS, "cqes");

  /** {@code struct io_uring_getevents_arg}, for waiting with a timeout. */
  static final StructLayout GETEVENTS_ARG =
      structLayout(
          JAVA_LONG.withName("sigmask"),
          JAVA_INT.withName("sigmask_sz"),
          JAVA_INT.withName("min_wait_usec"),
          JAVA_LONG.withName("ts"));

  static final long GETEVENTS_TS = offset(GETEVENTS_ARG, "ts");

  /** {@code struct __kernel_timespec}. */
  static final StructLayout TIMESPEC =
      structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

  /** {@code struct io_uring_rsrc_update} (also the old {@code io_uring_files_update}). */
  static final StructLayout RSRC_UPDATE =
      structLayout(
          JAVA_INT.withName("offset"), JAVA_INT.withName("resv"), JAVA_LONG.withName("data"));

  /** {@code struct io_uring_buf_reg}, registering a provided buffer ring. */
  static final StructLayout BUF_REG =
      structLayout(
          JAVA_LONG.withName("ring_addr"),
          JAVA_INT.withName("ring_entries"),
          JAVA_SHORT.withName("bgid"),
          JAVA_SHORT.withName("flags"),
          sequenceLayout(3, JAVA_LONG).withName("resv"));

  /** {@code struct io_uring_buf}, one entry of a provided buffer ring. */
  static final StructLayout BUF =
      structLayout(
          JAVA_LONG.withName("addr"),
          JAVA_INT.withName("len"),
          JAVA_SHORT.withName("bid"),
          JAVA_SHORT.withName("resv"));

  /** {@code struct io_uring_probe} header; {@code struct io_uring_probe_op} entries follow. */
  static final StructLayout PROBE =
      structLayout(
          JAVA_BYTE.withName("last_op"),
          JAVA_BYTE.withName("ops_len"),
          JAVA_SHORT.withName("resv"),
          sequenceLayout(3, JAVA_INT).withName("resv2"));

  static final StructLayout PROBE_OP =
      structLayout(
          JAVA_BYTE.withName("op"),
          JAVA_BYTE.withName("resv"),
          JAVA_SHORT.withName("flags"),
          JAVA_INT.withName("resv2"));

  /** {@code struct iovec}. */
  static final StructLayout IOVEC =
      structLayout(JAVA_LONG.withName("iov_base"), JAVA_LONG.withName("iov_len"));

  /** {@code struct msghdr} on a 64-bit ABI. */
  static final StructLayout MSGHDR =
      structLayout(
          JAVA_LONG.withName("msg_name"),
          JAVA_INT.withName("msg_namelen"),
          paddingLayout(4),
          JAVA_LONG.withName("msg_iov"),
          JAVA_LONG.withName("msg_iovlen"),
          JAVA_LONG.withName("msg_control"),
          JAVA_LONG.withName("msg_controllen"),
          JAVA_INT.withName("msg_flags"),
          paddingLayout(4));

  /** {@code struct io_uring_recvmsg_out}, heading each multishot recvmsg buffer. */
  static final StructLayout RECVMSG_OUT =
      structLayout(
          JAVA_INT.withName("namelen"),
          JAVA_INT.withName("controllen"),
          JAVA_INT.withName("payloadlen"),
          JAVA_INT.withName("flags"));

  /** {@code struct ifreq}: a 16-byte name and a 24-byte union. */
  static final StructLayout IFREQ =
      structLayout(
          sequenceLayout(16, JAVA_BYTE).withName("ifr_name"),
          sequenceLayout(24, JAVA_BYTE).withName("ifr_ifru"));

  static long offset(MemoryLayout layout, String field) {
    return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
  }
}
