package dev.ringway.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}): a group of equal buffers the kernel
 * picks from when a receive completes, naming the one it used in the completion's flags ({@link
 * Cqe#bufferId(int)}). Once the owner has consumed a buffer it gives it back with {@link
 * #recycle(int)}, or with several {@link #add(int)} calls and one {@link #advance()}.
 *
 * <p>A buffer the kernel filled belongs to the owner until recycled; a buffer that is provided
 * belongs to the kernel. When every buffer is out, multishot requests on the group end with {@code
 * -ENOBUFS}.
 */
public final class BufferRing implements AutoCloseable {
  private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
  private static final long TAIL_OFFSET = 14;
  private static final long PAGE = 4096;

  private final Ring ring;
  private final int groupId;
  private final int count;
  private final int mask;
  private final int bufferSize;
  private final Arena arena;
  private final MemorySegment entries;
  private final MemorySegment buffers;
  private int tail;
  private int added;
  private boolean registered;

  private BufferRing(Ring ring, int groupId, int count, int bufferSize) {
    this.ring = ring;
    this.groupId = groupId;
    this.count = count;
    this.mask = count - 1;
    this.bufferSize = bufferSize;
    this.arena = Arena.ofShared();
    this.entries = arena.allocate(Layouts.BUF.byteSize() * count, PAGE);
    this.buffers = arena.allocate((long) bufferSize * count, PAGE);
  }

  static BufferRing register(Ring ring, int groupId, int count, int bufferSize)
      throws LinuxException {
    if (count <= 0 || count > 32768 || Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("count must be a power of two up to 32768, got " + count);
    }
    if (groupId < 0 || groupId > 0xffff || bufferSize <= 0) {
      throw new IllegalArgumentException("bad group " + groupId + " or size " + bufferSize);
    }
    BufferRing buffers = new BufferRing(ring, groupId, count, bufferSize);
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment reg = scratch.allocate(Layouts.BUF_REG);
      reg.set(JAVA_LONG, 0, buffers.entries.address());
      reg.set(JAVA_INT, 8, count);
      reg.set(JAVA_SHORT, 12, (short) groupId);
      Syscalls.register(ring.fd(), Syscalls.REGISTER_PBUF_RING, reg, 1, "REGISTER_PBUF_RING");
    } catch (LinuxException e) {
      buffers.arena.close();
      throw e;
    }
    buffers.registered = true;
    for (int id = 0; id < count; id++) {
      buffers.add(id);
    }
    buffers.advance();
    return buffers;
  }

  /** The buffer group id, as prepared operations name it. */
  public int groupId() {
    return groupId;
  }

  /** How many buffers the group has. */
  public int count() {
    return count;
  }

  /** The size of each buffer. */
  public int bufferSize() {
    return bufferSize;
  }

  /** All buffers, back to back: buffer {@code id} starts at {@link #offset(int)}. */
  public MemorySegment buffers() {
    return buffers;
  }

  /** Where buffer {@code id} starts in {@link #buffers()}. */
  public long offset(int id) {
    return (long) id * bufferSize;
  }

  /** Buffer {@code id} as its own segment (a new slice object: not for the hot path). */
  public MemorySegment buffer(int id) {
    return buffers.asSlice(offset(id), bufferSize);
  }

  /** Queues buffer {@code id} to be given back to the kernel by the next {@link #advance()}. */
  public void add(int id) {
    if (id < 0 || id >= count) {
      throw new IndexOutOfBoundsException("buffer id " + id + " outside 0.." + (count - 1));
    }
    long entry = ((tail + added) & mask) * Layouts.BUF.byteSize();
    entries.set(JAVA_LONG, entry, buffers.address() + offset(id));
    entries.set(JAVA_INT, entry + 8, bufferSize);
    entries.set(JAVA_SHORT, entry + 12, (short) id);
    added++;
  }

  /** Publishes every buffer queued by {@link #add(int)} with one release store of the tail. */
  public void advance() {
    tail += added;
    added = 0;
    SHORT.setRelease(entries, TAIL_OFFSET, (short) tail);
  }

  /** Gives buffer {@code id} back to the kernel now. */
  public void recycle(int id) {
    add(id);
    advance();
  }

  /**
   * Unregisters the group and frees its memory. Only when no request that selects from it is in
   * flight; {@link Ring#close()} closes the groups still open after teardown.
   */
  @Override
  public void close() throws LinuxException {
    if (!registered) {
      return;
    }
    registered = false;
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment reg = scratch.allocate(Layouts.BUF_REG);
      reg.set(JAVA_SHORT, 12, (short) groupId);
      Syscalls.register(ring.fd(), Syscalls.UNREGISTER_PBUF_RING, reg, 1, "UNREGISTER_PBUF_RING");
    } finally {
      ring.forget(this);
      arena.close();
    }
  }

  /** Frees the memory after the ring itself is gone (which unregistered the group). */
  void free() {
    registered = false;
    ring.forget(this);
    arena.close();
  }
}
