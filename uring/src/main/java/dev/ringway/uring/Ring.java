package dev.ringway.uring;

import static dev.ringway.uring.Layouts.GETEVENTS_ARG;
import static dev.ringway.uring.Layouts.GETEVENTS_TS;
import static dev.ringway.uring.Layouts.PARAMS;
import static dev.ringway.uring.Layouts.P_CQ_ENTRIES;
import static dev.ringway.uring.Layouts.P_FEATURES;
import static dev.ringway.uring.Layouts.P_FLAGS;
import static dev.ringway.uring.Layouts.P_SQ_ENTRIES;
import static dev.ringway.uring.Layouts.P_SQ_THREAD_IDLE;
import static dev.ringway.uring.Layouts.TIMESPEC;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One io_uring instance, owned by one thread.
 *
 * <p>The owner prepares entries with the {@code prep*} methods (each writes one submission entry in
 * place and allocates nothing; it returns false and counts {@link #sqFull()} when the submission
 * queue is full), submits once per loop iteration with {@link #submitAndWait(int)}, and drains
 * completions with {@link #drain(CqeHandler)}. {@code user_data} is an opaque {@code long}: how it
 * is packed is the caller's policy.
 *
 * <p>Every method except {@link #fd()}, the counters and {@link #enable()} belongs to the owner
 * thread: the thread that opened the ring, or that enabled it when it was set up with {@link
 * SetupFlag#R_DISABLED}. With {@link SetupFlag#SINGLE_ISSUER} the kernel enforces this too.
 *
 * <p><b>Memory-safety rule.</b> A buffer, {@link Msghdr} or sockaddr handed to the kernel by a
 * {@code prep*} method must not be reused or freed before that operation's final completion (one
 * without {@link Cqe#F_MORE}) has been drained &mdash; including after a cancel, whose target still
 * completes with {@code -ECANCELED}. Arenas holding such memory close only after the ring is torn
 * down: {@link #adopt(Arena)} them and {@link #close()} does it in that order. The prepare methods
 * check what they can: native memory, a live arena, a length within the segment.
 */
public final class Ring implements AutoCloseable {
  private static final int OP_NOP = 0;
  private static final int OP_READ_FIXED = 4;
  private static final int OP_WRITE_FIXED = 5;
  private static final int OP_POLL_ADD = 6;
  private static final int OP_SENDMSG = 9;
  private static final int OP_RECVMSG = 10;
  private static final int OP_TIMEOUT = 11;
  private static final int OP_TIMEOUT_REMOVE = 12;
  private static final int OP_ACCEPT = 13;
  private static final int OP_ASYNC_CANCEL = 14;
  private static final int OP_LINK_TIMEOUT = 15;
  private static final int OP_CONNECT = 16;
  private static final int OP_READ = 22;
  private static final int OP_WRITE = 23;
  private static final int OP_SEND = 26;
  private static final int OP_RECV = 27;
  private static final int OP_MSG_RING = 40;
  private static final int OP_SEND_ZC = 47;
  private static final int OP_READ_MULTISHOT = 49;

  private static final int ENTER_GETEVENTS = 1;
  private static final int ENTER_SQ_WAKEUP = 1 << 1;
  private static final int ENTER_EXT_ARG = 1 << 3;
  private static final int ENTER_REGISTERED_RING = 1 << 4;

  private static final int RECV_MULTISHOT = 1 << 1;
  private static final int ACCEPT_MULTISHOT = 1;
  private static final int POLL_ADD_MULTI = 1;
  private static final int CANCEL_ALL = 1;
  private static final int CANCEL_FD = 1 << 1;
  private static final int CANCEL_ANY = 1 << 2;
  private static final long MSG_DATA = 0;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long CLOSE_CANCEL_USER_DATA = Long.MIN_VALUE;
  private static final long CLOSE_DEADLINE_NANOS = 5_000_000_000L;

  private final int fd;
  private final int setupFlags;
  private final int features;
  private final boolean sqpoll;
  private final boolean taskWorkOnEnter;
  private final boolean indirectionArray;
  private final boolean registerRingFd;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment capture;
  private final MemorySegment waitArg;
  private final MemorySegment waitTimeout;
  private final List<Arena> adopted = new ArrayList<>();
  private final List<BufferRing> bufferRings = new ArrayList<>();

  private RingMapping mapping;
  private SubmissionQueue sq;
  private CompletionQueue cq;
  private MemorySegment timespecs;
  private Thread owner;
  private boolean enabled;
  private boolean closed;
  private int enterFd;
  private int enterFlags;
  private int registeredRingIndex = -1;

  private long tracked;
  private long enters;
  private long sqFull;
  private boolean submitWhenFull;
  private int lastRoomFailure;
  private long enterBusy;
  private long enterInterrupted;
  private long sqpollWakeups;
  private long cqOverflowEvents;
  private boolean overflowSeen;

  private Ring(int fd, MemorySegment params, RingOptions options) throws LinuxException {
    this.fd = fd;
    this.setupFlags = params.get(JAVA_INT, P_FLAGS);
    this.features = params.get(JAVA_INT, P_FEATURES);
    this.sqpoll = (setupFlags & SetupFlag.SQPOLL.bit()) != 0;
    this.taskWorkOnEnter =
        (setupFlags & (SetupFlag.DEFER_TASKRUN.bit() | SetupFlag.COOP_TASKRUN.bit())) != 0;
    this.indirectionArray = (setupFlags & SetupFlag.NO_SQARRAY.bit()) == 0;
    this.registerRingFd = options.registerRingFd();
    this.capture = arena.allocate(java.lang.foreign.Linker.Option.captureStateLayout());
    this.waitArg = arena.allocate(GETEVENTS_ARG);
    this.waitTimeout = arena.allocate(TIMESPEC);
    waitArg.set(JAVA_LONG, GETEVENTS_TS, waitTimeout.address());
    try {
      this.mapping = RingMapping.map(fd, params);
      this.sq = new SubmissionQueue(mapping, params, indirectionArray);
      this.cq = new CompletionQueue(mapping, params, 0, 0);
      this.timespecs = arena.allocate(TIMESPEC, sq.entries);
      this.enterFd = fd;
      if ((setupFlags & SetupFlag.R_DISABLED.bit()) == 0) {
        becomeOwner();
      }
    } catch (LinuxException | RuntimeException e) {
      if (mapping != null) {
        mapping.unmap();
      }
      arena.close();
      throw e;
    }
  }

  /**
   * Sets up a ring. Unless {@link SetupFlag#R_DISABLED} is given, the calling thread becomes its
   * owner.
   */
  public static Ring open(RingOptions options) throws LinuxException {
    int fd;
    try (Arena setup = Arena.ofConfined()) {
      MemorySegment params = setup.allocate(PARAMS);
      // Without the indirection array an entry's slot is simply tail & mask, and a resize has no
      // array to carry over; kernels before 6.6 lack the flag and get the array.
      try {
        fd = setup(options, options.setupBits() | SetupFlag.NO_SQARRAY.bit(), params);
      } catch (LinuxException e) {
        if (e.errno() != Errno.EINVAL || options.flags().contains(SetupFlag.NO_SQARRAY)) {
          throw e;
        }
        fd = setup(options, options.setupBits(), params);
      }
      try {
        if ((params.get(JAVA_INT, P_FEATURES) & RingFeature.SINGLE_MMAP.bit()) == 0) {
          throw new LinuxException(Errno.EOPNOTSUPP, "io_uring_setup (kernel lacks SINGLE_MMAP)");
        }
        return new Ring(fd, params, options);
      } catch (LinuxException | RuntimeException e) {
        LinuxFiles.close(fd);
        throw e;
      }
    }
  }

  private static int setup(RingOptions options, int flags, MemorySegment params)
      throws LinuxException {
    params.fill((byte) 0);
    params.set(JAVA_INT, P_FLAGS, flags);
    params.set(JAVA_INT, P_CQ_ENTRIES, options.cqEntries());
    params.set(JAVA_INT, P_SQ_THREAD_IDLE, options.sqpollIdleMillis());
    return Syscalls.setup(options.entries(), params);
  }

  private void becomeOwner() throws LinuxException {
    owner = Thread.currentThread();
    enabled = true;
    if (registerRingFd) {
      try (Arena scratch = Arena.ofConfined()) {
        MemorySegment update = scratch.allocate(Layouts.RSRC_UPDATE);
        update.set(JAVA_INT, 0, -1);
        update.set(JAVA_LONG, 8, fd);
        Syscalls.register(fd, Syscalls.REGISTER_RING_FDS, update, 1, "REGISTER_RING_FDS");
        registeredRingIndex = update.get(JAVA_INT, 0);
      }
      enterFd = registeredRingIndex;
      enterFlags = ENTER_REGISTERED_RING;
    }
  }

  /**
   * Enables a ring set up with {@link SetupFlag#R_DISABLED}; the calling thread becomes its owner
   * (and, with {@link SetupFlag#SINGLE_ISSUER}, the only thread the kernel lets submit).
   */
  public void enable() throws LinuxException {
    if (enabled) {
      throw new IllegalStateException("the ring is already enabled");
    }
    Syscalls.register(fd, Syscalls.REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0, "ENABLE_RINGS");
    becomeOwner();
  }

  // ---------------------------------------------------------------- operations

  /** A no-op that completes with 0. */
  public boolean prepNop(long userData) {
    return counted(room() && sq.enqueue(OP_NOP, -1, 0, 0, 0, 0, userData));
  }

  /**
   * Reads up to {@code length} bytes into {@code buffer}; {@code offset} -1 reads at the file's
   * position (pipes, sockets, TUN).
   */
  public boolean prepRead(int fd, MemorySegment buffer, int length, long offset, long userData) {
    return counted(
        room() && sq.enqueue(OP_READ, fd, address(buffer, length), length, offset, 0, userData));
  }

  /** Writes {@code length} bytes from {@code buffer}; {@code offset} -1 writes at the position. */
  public boolean prepWrite(int fd, MemorySegment buffer, int length, long offset, long userData) {
    return counted(
        room() && sq.enqueue(OP_WRITE, fd, address(buffer, length), length, offset, 0, userData));
  }

  /**
   * Reads into a buffer registered with {@link #registerBuffers}; {@code buffer} must lie inside
   * registered buffer {@code bufferIndex}.
   */
  public boolean prepReadFixed(
      int fd, MemorySegment buffer, int length, long offset, int bufferIndex, long userData) {
    if (!counted(
        room()
            && sq.enqueue(
                OP_READ_FIXED, fd, address(buffer, length), length, offset, 0, userData))) {
      return false;
    }
    sq.lastBufIndex(bufferIndex);
    return true;
  }

  /** Writes from a registered buffer; see {@link #prepReadFixed}. */
  public boolean prepWriteFixed(
      int fd, MemorySegment buffer, int length, long offset, int bufferIndex, long userData) {
    if (!counted(
        room()
            && sq.enqueue(
                OP_WRITE_FIXED, fd, address(buffer, length), length, offset, 0, userData))) {
      return false;
    }
    sq.lastBufIndex(bufferIndex);
    return true;
  }

  /**
   * A multishot read (6.7+): completes once per read with a buffer from {@code buffers}, until it
   * fails or the group runs out of buffers ({@code -ENOBUFS}, no {@link Cqe#F_MORE}).
   */
  public boolean prepReadMultishot(int fd, BufferRing buffers, long userData) {
    if (!counted(room() && sq.enqueue(OP_READ_MULTISHOT, fd, 0, 0, -1, 0, userData))) {
      return false;
    }
    sq.lastOrFlags(Sqe.BUFFER_SELECT);
    sq.lastBufIndex(buffers.groupId());
    return true;
  }

  /**
   * {@code recvmsg(fd, msghdr, msgFlags)} into the buffer and name {@code msghdr} was armed with.
   */
  public boolean prepRecvmsg(int fd, Msghdr msghdr, int msgFlags, long userData) {
    return counted(
        room() && sq.enqueue(OP_RECVMSG, fd, msghdr.kernelAddress(), 1, 0, msgFlags, userData));
  }

  /**
   * Multishot {@code recvmsg}: each datagram lands in a buffer from {@code buffers}, laid out as
   * {@link MultishotRecvmsg} describes with {@code template}'s name and control sizes. It stays
   * armed until it fails or the group runs out of buffers.
   */
  public boolean prepRecvmsgMultishot(
      int fd, Msghdr template, BufferRing buffers, int msgFlags, long userData) {
    if (!counted(
        room() && sq.enqueue(OP_RECVMSG, fd, template.kernelAddress(), 1, 0, msgFlags, userData))) {
      return false;
    }
    sq.lastIoprio(RECV_MULTISHOT);
    sq.lastOrFlags(Sqe.BUFFER_SELECT);
    sq.lastBufIndex(buffers.groupId());
    return true;
  }

  /** {@code sendmsg(fd, msghdr, msgFlags)}. */
  public boolean prepSendmsg(int fd, Msghdr msghdr, int msgFlags, long userData) {
    return counted(
        room() && sq.enqueue(OP_SENDMSG, fd, msghdr.kernelAddress(), 1, 0, msgFlags, userData));
  }

  /** {@code recv(fd, buffer, length, msgFlags)}. */
  public boolean prepRecv(int fd, MemorySegment buffer, int length, int msgFlags, long userData) {
    return counted(
        room() && sq.enqueue(OP_RECV, fd, address(buffer, length), length, 0, msgFlags, userData));
  }

  /**
   * Multishot {@code recv}: each arrival on a stream socket lands in a buffer from {@code buffers};
   * it stays armed until the peer closes (result 0), it fails, or the group runs out of buffers.
   */
  public boolean prepRecvMultishot(int fd, BufferRing buffers, int msgFlags, long userData) {
    if (!counted(room() && sq.enqueue(OP_RECV, fd, 0, 0, 0, msgFlags, userData))) {
      return false;
    }
    sq.lastIoprio(RECV_MULTISHOT);
    sq.lastOrFlags(Sqe.BUFFER_SELECT);
    sq.lastBufIndex(buffers.groupId());
    return true;
  }

  /** {@code send(fd, buffer, length, msgFlags)}. */
  public boolean prepSend(int fd, MemorySegment buffer, int length, int msgFlags, long userData) {
    return counted(
        room() && sq.enqueue(OP_SEND, fd, address(buffer, length), length, 0, msgFlags, userData));
  }

  /**
   * A zero-copy send. It completes twice: first with the byte count and {@link Cqe#F_MORE}, then
   * with {@link Cqe#F_NOTIF} once the kernel no longer reads {@code buffer}; only then may it be
   * reused.
   */
  public boolean prepSendZc(int fd, MemorySegment buffer, int length, int msgFlags, long userData) {
    return counted(
        room()
            && sq.enqueue(OP_SEND_ZC, fd, address(buffer, length), length, 0, msgFlags, userData));
  }

  /**
   * {@code accept4(fd, peer, peerLength, flags)}. {@code peer} (a sockaddr of {@link
   * SockAddr#STORAGE_SIZE} bytes) and {@code peerLength} (a 4-byte socklen_t holding that size) may
   * both be {@link MemorySegment#NULL} when the peer's address is not wanted.
   */
  public boolean prepAccept(
      int fd, MemorySegment peer, MemorySegment peerLength, int flags, long userData) {
    long peerAddress = peer.equals(MemorySegment.NULL) ? 0 : address(peer, SockAddr.IN_SIZE);
    long lengthAddress =
        peerLength.equals(MemorySegment.NULL) ? 0 : address(peerLength, Integer.BYTES);
    return counted(
        room() && sq.enqueue(OP_ACCEPT, fd, peerAddress, 0, lengthAddress, flags, userData));
  }

  /** Multishot accept: completes with each new connection's fd until cancelled or failed. */
  public boolean prepAcceptMultishot(int fd, int flags, long userData) {
    if (!counted(room() && sq.enqueue(OP_ACCEPT, fd, 0, 0, 0, flags, userData))) {
      return false;
    }
    sq.lastIoprio(ACCEPT_MULTISHOT);
    return true;
  }

  /**
   * {@code connect(fd, sockaddr, length)}, where {@code sockaddr} is written by {@link
   * SockAddr#write}.
   */
  public boolean prepConnect(int fd, MemorySegment sockaddr, int length, long userData) {
    return counted(
        room() && sq.enqueue(OP_CONNECT, fd, address(sockaddr, length), 0, length, 0, userData));
  }

  /**
   * Completes when {@code fd} is ready for {@code events} ({@link Sqe#POLLIN} …), with the ready
   * events as the result; a multishot poll stays armed.
   */
  public boolean prepPollAdd(int fd, int events, boolean multishot, long userData) {
    return counted(
        room()
            && sq.enqueue(OP_POLL_ADD, fd, 0, multishot ? POLL_ADD_MULTI : 0, 0, events, userData));
  }

  /**
   * A timer: completes with {@code -ETIME} after {@code nanos}, or with 0 once {@code count} other
   * completions have arrived (0 means only the time counts). {@code flags} are {@code
   * Sqe.TIMEOUT_*}. The time is copied when the kernel consumes the entry, so nothing needs to
   * outlive the call.
   */
  public boolean prepTimeout(long nanos, int count, int flags, long userData) {
    if (!counted(room() && sq.enqueue(OP_TIMEOUT, -1, 0, 1, count, flags, userData))) {
      return false;
    }
    sq.lastAddr(timespec(nanos));
    return true;
  }

  /** Removes the timer prepared with {@code timerUserData}; it completes with -ECANCELED. */
  public boolean prepTimeoutRemove(long timerUserData, long userData) {
    return counted(room() && sq.enqueue(OP_TIMEOUT_REMOVE, -1, timerUserData, 0, 0, 0, userData));
  }

  /**
   * Bounds the entry prepared just before, which must carry {@link Sqe#IO_LINK}: if it has not
   * completed after {@code nanos} it is cancelled, and this completes with {@code -ETIME}.
   */
  public boolean prepLinkTimeout(long nanos, int flags, long userData) {
    if (!counted(room() && sq.enqueue(OP_LINK_TIMEOUT, -1, 0, 1, 0, flags, userData))) {
      return false;
    }
    sq.lastAddr(timespec(nanos));
    return true;
  }

  /**
   * Cancels the request prepared with {@code targetUserData}. The cancel completes with 0, {@code
   * -ENOENT} or {@code -EALREADY}; the target completes on its own, usually with {@code
   * -ECANCELED}, and its memory stays the kernel's until then.
   */
  public boolean prepCancel(long targetUserData, long userData) {
    return counted(room() && sq.enqueue(OP_ASYNC_CANCEL, -1, targetUserData, 0, 0, 0, userData));
  }

  /** Cancels every request on {@code fd}; completes with how many were found. */
  public boolean prepCancelFd(int fd, long userData) {
    return counted(
        room() && sq.enqueue(OP_ASYNC_CANCEL, fd, 0, 0, 0, CANCEL_FD | CANCEL_ALL, userData));
  }

  /** Cancels every request on the ring; completes with how many were found. */
  public boolean prepCancelAll(long userData) {
    return counted(
        room() && sq.enqueue(OP_ASYNC_CANCEL, -1, 0, 0, 0, CANCEL_ANY | CANCEL_ALL, userData));
  }

  /**
   * Posts a completion with {@code targetUserData} and result {@code res} on the ring whose fd is
   * {@code targetRingFd} (a wake-up between loops without an eventfd). This ring gets a completion
   * too, with 0 or {@code -errno}.
   */
  public boolean prepMsgRing(int targetRingFd, int res, long targetUserData, long userData) {
    return counted(
        room()
            && sq.enqueue(OP_MSG_RING, targetRingFd, MSG_DATA, res, targetUserData, 0, userData));
  }

  /**
   * Adds {@link Sqe} flags to the entry prepared last: {@link Sqe#FIXED_FILE} (its fd is then a
   * registered-file index), {@link Sqe#IO_LINK}, {@link Sqe#ASYNC}, {@link Sqe#CQE_SKIP_SUCCESS} …
   */
  public void flagLast(int sqeFlags) {
    boolean wasSkipped = (sq.lastFlags() & Sqe.CQE_SKIP_SUCCESS) != 0;
    sq.lastOrFlags(sqeFlags);
    if (!wasSkipped && (sqeFlags & Sqe.CQE_SKIP_SUCCESS) != 0) {
      tracked--;
    }
  }

  /**
   * From now on a {@code prep*} call that finds the submission queue full submits what is prepared
   * and tries again, so that callers hear false only when even that failed. The one place the
   * loop's "queue full, make room, retry" lives.
   */
  public void submitWhenFull() {
    submitWhenFull = true;
  }

  /** Makes room for one entry if the queue is full and the ring submits when full; always true. */
  private boolean room() {
    if (sq.full()) {
      sqFull++;
      if (submitWhenFull) {
        try {
          enter(0, -1);
        } catch (LinuxException e) {
          // The entry is then refused by enqueue, and the caller handles a full queue as before.
          lastRoomFailure = e.errno();
        }
      }
    }
    return true;
  }

  private boolean counted(boolean enqueued) {
    if (enqueued) {
      tracked++;
    }
    return enqueued;
  }

  /** The errno of the last submit that a full queue forced and that failed, or 0. */
  public int lastRoomFailure() {
    return lastRoomFailure;
  }

  private long timespec(long nanos) {
    long slot = (long) sq.lastSlot() * TIMESPEC.byteSize();
    timespecs.set(JAVA_LONG, slot, nanos / NANOS_PER_SECOND);
    timespecs.set(JAVA_LONG, slot + Long.BYTES, nanos % NANOS_PER_SECOND);
    return timespecs.address() + slot;
  }

  static long address(MemorySegment segment, long length) {
    if (!segment.isNative()) {
      throw new IllegalArgumentException("the kernel needs native memory, not a heap segment");
    }
    if (length < 0 || length > segment.byteSize()) {
      throw new IndexOutOfBoundsException(
          "length " + length + " outside a segment of " + segment.byteSize() + " bytes");
    }
    if (!segment.scope().isAlive()) {
      throw new IllegalStateException("the segment's arena is already closed");
    }
    return segment.address();
  }

  // ---------------------------------------------------------------- submit and complete

  /**
   * Submits what was prepared without waiting. On rings whose completion work runs only on entry
   * ({@link SetupFlag#DEFER_TASKRUN}, {@link SetupFlag#COOP_TASKRUN}) it also runs that work, so
   * finished requests become drainable.
   *
   * @return how many entries the kernel consumed (with SQPOLL: how many were published)
   */
  public int submit() throws LinuxException {
    return enter(0, -1);
  }

  /** Submits and waits until at least {@code minComplete} completions are ready. */
  public int submitAndWait(int minComplete) throws LinuxException {
    return enter(minComplete, -1);
  }

  /**
   * Submits and waits until {@code minComplete} completions are ready or {@code timeoutNanos}
   * passed, whichever is first; a timeout is not an error. Needs the kernel's EXT_ARG feature
   * (5.11+).
   */
  public int submitAndWait(int minComplete, long timeoutNanos) throws LinuxException {
    if (timeoutNanos < 0) {
      throw new IllegalArgumentException("timeout must be non-negative, got " + timeoutNanos);
    }
    return enter(minComplete, timeoutNanos);
  }

  private int enter(int minComplete, long timeoutNanos) throws LinuxException {
    int toSubmit = sq.publish();
    int flags = enterFlags;
    int ringFlags = sq.flags();
    boolean getEvents = minComplete > 0 || taskWorkOnEnter;
    if ((ringFlags & SubmissionQueue.CQ_OVERFLOW) != 0) {
      // Completions wait in the kernel's overflow list; entering with GETEVENTS flushes them.
      if (!overflowSeen) {
        cqOverflowEvents++;
        overflowSeen = true;
      }
      getEvents = true;
    } else {
      overflowSeen = false;
    }
    if (sqpoll) {
      // The flags were read after a full fence, so a sleeping poller cannot miss the new tail.
      if (toSubmit > 0 && (ringFlags & SubmissionQueue.NEED_WAKEUP) != 0) {
        flags |= ENTER_SQ_WAKEUP;
        sqpollWakeups++;
      }
      if (!getEvents && (flags & ENTER_SQ_WAKEUP) == 0) {
        return toSubmit;
      }
    } else if (toSubmit == 0 && !getEvents) {
      return 0;
    }
    if (getEvents) {
      flags |= ENTER_GETEVENTS;
    }
    long arg = 0;
    long argSize = 0;
    if (timeoutNanos >= 0) {
      waitTimeout.set(JAVA_LONG, 0, timeoutNanos / NANOS_PER_SECOND);
      waitTimeout.set(JAVA_LONG, Long.BYTES, timeoutNanos % NANOS_PER_SECOND);
      flags |= ENTER_EXT_ARG;
      arg = waitArg.address();
      argSize = GETEVENTS_ARG.byteSize();
    }
    enters++;
    long result;
    try {
      result =
          (long)
              Native.SYSCALL.invokeExact(
                  capture,
                  Native.SYS_IO_URING_ENTER,
                  (long) enterFd,
                  (long) toSubmit,
                  (long) minComplete,
                  (long) flags,
                  arg,
                  argSize);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    if (result < 0) {
      int errno = Native.errno(capture);
      switch (errno) {
        case Errno.EINTR -> {
          enterInterrupted++;
          return 0;
        }
        case Errno.EAGAIN, Errno.EBUSY -> {
          // The kernel is short of resources or the completion queue is backed up: the caller
          // drains completions and its next iteration submits again.
          enterBusy++;
          return 0;
        }
        case Errno.ETIME -> {
          return 0;
        }
        default -> throw new LinuxException(errno, "io_uring_enter");
      }
    }
    return sqpoll ? toSubmit : (int) result;
  }

  /**
   * Hands every ready completion to {@code handler}, in order, and returns how many there were.
   * Allocation-free; the handler may prepare new entries.
   */
  public int drain(CqeHandler handler) {
    return cq.drain(handler);
  }

  /** Completions ready to drain. */
  public int ready() {
    return cq.ready();
  }

  // ---------------------------------------------------------------- registration

  /** Registers {@code fds} as fixed files 0..n-1 (-1 leaves a slot empty for a later update). */
  public void registerFiles(int... fds) throws LinuxException {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment array = scratch.allocateFrom(JAVA_INT, fds);
      Syscalls.register(fd, Syscalls.REGISTER_FILES, array, fds.length, "REGISTER_FILES");
    }
  }

  /** Replaces fixed files from index {@code offset} on (-1 empties a slot). */
  public void updateFiles(int offset, int... fds) throws LinuxException {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment array = scratch.allocateFrom(JAVA_INT, fds);
      MemorySegment update = scratch.allocate(Layouts.RSRC_UPDATE);
      update.set(JAVA_INT, 0, offset);
      update.set(JAVA_LONG, 8, array.address());
      Syscalls.register(
          fd, Syscalls.REGISTER_FILES_UPDATE, update, fds.length, "REGISTER_FILES_UPDATE");
    }
  }

  public void unregisterFiles() throws LinuxException {
    Syscalls.register(fd, Syscalls.UNREGISTER_FILES, MemorySegment.NULL, 0, "UNREGISTER_FILES");
  }

  /**
   * Registers {@code buffers} as fixed buffers 0..n-1 for {@link #prepReadFixed} and {@link
   * #prepWriteFixed}. The kernel pins their pages; keep them alive until {@link
   * #unregisterBuffers()} or {@link #close()}.
   */
  public void registerBuffers(MemorySegment... buffers) throws LinuxException {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment iovecs = scratch.allocate(Layouts.IOVEC, buffers.length);
      for (int i = 0; i < buffers.length; i++) {
        long base = i * Layouts.IOVEC.byteSize();
        iovecs.set(JAVA_LONG, base, address(buffers[i], buffers[i].byteSize()));
        iovecs.set(JAVA_LONG, base + Long.BYTES, buffers[i].byteSize());
      }
      Syscalls.register(fd, Syscalls.REGISTER_BUFFERS, iovecs, buffers.length, "REGISTER_BUFFERS");
    }
  }

  public void unregisterBuffers() throws LinuxException {
    Syscalls.register(fd, Syscalls.UNREGISTER_BUFFERS, MemorySegment.NULL, 0, "UNREGISTER_BUFFERS");
  }

  /**
   * Registers a provided-buffer ring of {@code count} buffers (a power of two) of {@code
   * bufferSize} bytes each, as group {@code groupId}, with every buffer already provided. Its
   * memory belongs to the ring: closing the buffer ring unregisters it, and {@link #close()} frees
   * what is left only after teardown.
   */
  public BufferRing registerBufferRing(int groupId, int count, int bufferSize)
      throws LinuxException {
    BufferRing buffers = BufferRing.register(this, groupId, count, bufferSize);
    bufferRings.add(buffers);
    return buffers;
  }

  void forget(BufferRing buffers) {
    bufferRings.remove(buffers);
  }

  /**
   * Caps the io-wq workers per NUMA node for bounded (regular file) and unbounded (socket, TUN)
   * work; 0 leaves a limit unchanged. Returns the previous limits, {@code [bounded, unbounded]}.
   */
  public int[] setIowqMaxWorkers(int bounded, int unbounded) throws LinuxException {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment limits = scratch.allocateFrom(JAVA_INT, bounded, unbounded);
      Syscalls.register(fd, Syscalls.REGISTER_IOWQ_MAX_WORKERS, limits, 2, "IOWQ_MAX_WORKERS");
      return limits.toArray(JAVA_INT);
    }
  }

  /**
   * Resizes the ring in place ({@code IORING_REGISTER_RESIZE_RINGS}, Linux 6.13+, rings set up with
   * {@link SetupFlag#DEFER_TASKRUN}). Requests in flight keep running and completions not yet
   * drained are carried over; prepared entries are submitted first. The queues' memory moves, so
   * their views are rebuilt.
   *
   * @param cqEntries the new completion queue size, or 0 for twice {@code sqEntries}
   */
  public void resize(int sqEntries, int cqEntries) throws LinuxException {
    requireOwner();
    for (int round = 0; sq.pending() > 0; round++) {
      if (round == 16) {
        throw new LinuxException(Errno.EBUSY, "resize (submission queue does not drain)");
      }
      submit();
    }
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment params = scratch.allocate(PARAMS);
      params.set(JAVA_INT, P_SQ_ENTRIES, sqEntries);
      params.set(JAVA_INT, P_CQ_ENTRIES, cqEntries);
      params.set(JAVA_INT, P_FLAGS, cqEntries > 0 ? SetupFlag.CQSIZE.bit() : 0);
      Syscalls.register(fd, Syscalls.REGISTER_RESIZE_RINGS, params, 1, "RESIZE_RINGS");
      RingMapping old = mapping;
      mapping = RingMapping.map(fd, params);
      old.unmap();
      sq = new SubmissionQueue(mapping, params, indirectionArray);
      cq = new CompletionQueue(mapping, params, cq.reaped(), cq.finals());
      timespecs = arena.allocate(TIMESPEC, sq.entries);
    }
  }

  /** Whether this ring can be resized: it uses DEFER_TASKRUN and the kernel has the call. */
  public boolean canResize() {
    return (setupFlags & SetupFlag.DEFER_TASKRUN.bit()) != 0 && RingFeatures.resizeSupported();
  }

  // ---------------------------------------------------------------- lifetime

  /**
   * Makes {@code memory} part of this ring's lifetime: it is closed by {@link #close()}, after
   * every request still in flight has been cancelled and reaped and the ring is gone. A confined
   * arena must be confined to the owner thread.
   */
  public Arena adopt(Arena memory) {
    adopted.add(memory);
    return memory;
  }

  /**
   * Tears the ring down on its owner thread: cancels every request still in flight, drains until
   * each has posted its final completion, unmaps and closes the ring, then frees buffer rings and
   * adopted arenas. If requests still run after five seconds their memory is deliberately leaked
   * rather than freed under the kernel, and an {@link IllegalStateException} says so. The close
   * sweeps use {@code user_data} {@link Long#MIN_VALUE}; don't use it for requests of your own.
   */
  @Override
  public void close() throws LinuxException {
    if (closed) {
      return;
    }
    if (enabled) {
      requireOwner();
    }
    closed = true;
    boolean quiet = false;
    try {
      quiet = !enabled || cancelEverything();
    } finally {
      release();
    }
    if (!quiet) {
      throw new IllegalStateException(
          inFlight() + " requests still in flight after cancel; their memory is leaked, not freed");
    }
    for (BufferRing buffers : List.copyOf(bufferRings)) {
      buffers.free();
    }
    for (Arena memory : adopted) {
      if (memory.scope().isAlive()) {
        memory.close();
      }
    }
    arena.close();
  }

  /** Unregisters the ring fd, unmaps the queues and closes the ring, whatever fails on the way. */
  private void release() throws LinuxException {
    try {
      if (registeredRingIndex >= 0) {
        try (Arena scratch = Arena.ofConfined()) {
          MemorySegment update = scratch.allocate(Layouts.RSRC_UPDATE);
          update.set(JAVA_INT, 0, registeredRingIndex);
          Syscalls.register(fd, Syscalls.UNREGISTER_RING_FDS, update, 1, "UNREGISTER_RING_FDS");
        }
      }
    } finally {
      mapping.unmap();
      LinuxFiles.close(fd);
    }
  }

  /**
   * Sweeps the ring with cancel-all until a sweep finds nothing left and every request counted in
   * flight has posted its final completion. Both conditions are needed: the count alone can be
   * understated (MSG_RING completions from other rings), and a sweep alone misses requests whose
   * cancellation is under way but whose completion has not been posted yet.
   */
  private boolean cancelEverything() throws LinuxException {
    long deadline = System.nanoTime() + CLOSE_DEADLINE_NANOS;
    CloseSweep sweep = new CloseSweep();
    while (true) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      if (!sweep.pending && prepCancelAll(CLOSE_CANCEL_USER_DATA)) {
        sweep.pending = true;
      }
      submitAndWait(1, 50_000_000L);
      drain(sweep);
      if (!sweep.pending && sweep.found <= 0 && inFlight() <= 0) {
        return true;
      }
    }
  }

  /** Discards completions during close, noting what each cancel-all sweep found. */
  private static final class CloseSweep implements CqeHandler {
    boolean pending;
    int found;

    @Override
    public void handle(long userData, int res, int flags) {
      if (userData == CLOSE_CANCEL_USER_DATA) {
        pending = false;
        found = res;
      }
    }
  }

  private void requireOwner() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException(
          "the ring belongs to thread " + (owner == null ? "none (not enabled)" : owner.getName()));
    }
  }

  // ---------------------------------------------------------------- facts and counters

  /** The ring's file descriptor (the target for {@link #prepMsgRing}). */
  public int fd() {
    return fd;
  }

  /** Submission queue entries, as the kernel rounded them. */
  public int sqEntries() {
    return sq.entries;
  }

  /** Completion queue entries. */
  public int cqEntries() {
    return cq.entries;
  }

  /** The setup flags the kernel accepted. */
  public Set<SetupFlag> setupFlags() {
    return Set.copyOf(SetupFlag.of(setupFlags));
  }

  /** The features the kernel reported at setup. */
  public Set<RingFeature> features() {
    return Set.copyOf(RingFeature.of(features));
  }

  /** Whether the ring fd is registered, so {@code io_uring_enter} skips the fd lookup. */
  public boolean ringFdRegistered() {
    return registeredRingIndex >= 0;
  }

  /**
   * Requests prepared whose final completion has not been drained yet. Entries flagged {@link
   * Sqe#CQE_SKIP_SUCCESS} are not counted; completions posted by another ring's MSG_RING count down
   * without having been prepared here.
   */
  public long inFlight() {
    return tracked - cq.finals();
  }

  /** {@code io_uring_enter} calls made. */
  public long enters() {
    return enters;
  }

  /** Completions drained. */
  public long cqesReaped() {
    return cq.reaped();
  }

  /** Times the kernel flagged completions backed up in its overflow list. */
  public long cqOverflowEvents() {
    return cqOverflowEvents;
  }

  /** Completions the kernel had to drop outright (its {@code cq_overflow} counter). */
  public long cqDropped() {
    return cq.kernelOverflow();
  }

  /** Prepare calls refused because the submission queue was full. */
  public long sqFull() {
    return sqFull;
  }

  /** Entries the kernel dropped as invalid. */
  public long sqDropped() {
    return sq.dropped();
  }

  /** {@code io_uring_enter} calls that returned EAGAIN or EBUSY. */
  public long enterBusy() {
    return enterBusy;
  }

  /** {@code io_uring_enter} calls interrupted by a signal (EINTR). */
  public long enterInterrupted() {
    return enterInterrupted;
  }

  /** Times a sleeping SQPOLL thread had to be woken. */
  public long sqpollWakeups() {
    return sqpollWakeups;
  }

  /** The counters and sizes in one value, for the server's stats tick. */
  public RingStats stats() {
    return new RingStats(
        sqEntries(),
        cqEntries(),
        inFlight(),
        enters,
        cqesReaped(),
        cqOverflowEvents,
        cqDropped(),
        sqFull,
        sqDropped(),
        enterBusy,
        enterInterrupted,
        sqpollWakeups);
  }

  /** Whether the SQPOLL thread has gone idle and needs a wake-up for new entries. */
  public boolean sqpollNeedsWakeup() {
    return (sq.flags() & SubmissionQueue.NEED_WAKEUP) != 0;
  }
}
