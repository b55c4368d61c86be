package dev.ringway.core.ip;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The inside addresses a server hands to its clients (digest §5.1). All hosts of the block except
 * the network and broadcast addresses and the given reserved addresses, shuffled once; allocation
 * takes from the front and release appends to the back, so a released address is reused last.
 *
 * <p>Not thread-safe: a pool belongs to the loop thread.
 */
public final class IpPool {
  private final Ipv4Cidr range;
  private final BitSet allocated = new BitSet();
  private final int[] ring;
  private int head;
  private int freeCount;

  /**
   * @param reserved addresses never handed out (the static client, server and DNS addresses and the
   *     TUN address); those outside the block are ignored
   * @param random shuffles the addresses; pass a seeded generator for a reproducible order
   */
  public IpPool(Ipv4Cidr range, Collection<Ipv4Address> reserved, RandomGenerator random) {
    if (range.prefixLength() < 8) {
      throw new IllegalArgumentException("an IP pool larger than a /8 is not supported: " + range);
    }
    this.range = range;
    int size = (int) range.size();
    BitSet member = new BitSet(size);
    for (int i = 1; i < size - 1; i++) {
      member.set(i);
    }
    for (Ipv4Address address : reserved) {
      if (range.contains(address)) {
        member.clear(index(address.value()));
      }
    }
    ring = new int[Math.max(member.cardinality(), 1)];
    for (int i = member.nextSetBit(0); i >= 0; i = member.nextSetBit(i + 1)) {
      ring[freeCount++] = range.network() + i;
    }
    for (int i = freeCount - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = ring[i];
      ring[i] = ring[j];
      ring[j] = swap;
    }
  }

  private IpPool(Ipv4Cidr range, int[] addresses) {
    this.range = range;
    this.ring = new int[Math.max(addresses.length, 1)];
    for (int address : addresses) {
      ring[freeCount++] = address;
    }
  }

  public Ipv4Cidr range() {
    return range;
  }

  /** The next free address, or empty when the pool is exhausted. */
  public Optional<Ipv4Address> allocate() {
    if (freeCount == 0) {
      return Optional.empty();
    }
    int address = ring[head];
    head = (head + 1) % ring.length;
    freeCount--;
    allocated.set(index(address));
    return Optional.of(new Ipv4Address(address));
  }

  /**
   * Returns an address to the back of the pool.
   *
   * @return false, changing nothing, if the address is not currently allocated from this pool
   */
  public boolean free(Ipv4Address address) {
    int value = address.value();
    if (!range.contains(value) || !allocated.get(index(value))) {
      return false;
    }
    allocated.clear(index(value));
    ring[(head + freeCount) % ring.length] = value;
    freeCount++;
    return true;
  }

  public boolean isAllocated(Ipv4Address address) {
    return range.contains(address) && allocated.get(index(address.value()));
  }

  public int freeCount() {
    return freeCount;
  }

  public int allocatedCount() {
    return allocated.cardinality();
  }

  /**
   * Moves the free addresses inside {@code subnet} out of this pool into a new one, keeping their
   * order (the {@code ip_map} of digest §5.1: a sub-range serving one local address).
   *
   * @throws IllegalArgumentException if the subnet is not inside this pool's block
   */
  public IpPool carve(Ipv4Cidr subnet) {
    if (!range.contains(subnet)) {
      throw new IllegalArgumentException(subnet + " is not inside the pool " + range);
    }
    int[] moved = new int[freeCount];
    int movedCount = 0;
    int kept = 0;
    for (int i = 0; i < freeCount; i++) {
      int address = ring[(head + i) % ring.length];
      if (subnet.contains(address)) {
        moved[movedCount++] = address;
      } else {
        ring[(head + kept++) % ring.length] = address;
      }
    }
    freeCount = kept;
    return new IpPool(subnet, Arrays.copyOf(moved, movedCount));
  }

  private int index(int address) {
    return address - range.network();
  }
}
