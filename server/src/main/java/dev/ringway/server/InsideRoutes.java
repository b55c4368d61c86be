package dev.ringway.server;

import dev.ringway.core.conn.Connection;

/**
 * Inside (pool) IPv4 address → connection, for routing packets read from the TUN device. Open
 * addressing over primitive ints, so a lookup per packet allocates nothing (a {@code
 * HashMap<Integer, …>} would box every address). Loop thread only.
 */
final class InsideRoutes {
  private static final int EMPTY = 0;
  private int[] keys = new int[64];
  private Connection[] values = new Connection[64];
  private int size;

  /** The connection that owns {@code address}, or null. */
  Connection get(int address) {
    if (address == EMPTY) {
      return null;
    }
    int mask = keys.length - 1;
    for (int i = mix(address) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == address) {
        return values[i];
      }
      if (keys[i] == EMPTY) {
        return null;
      }
    }
  }

  void put(int address, Connection connection) {
    if (address == EMPTY) {
      throw new IllegalArgumentException("0.0.0.0 is not an inside address");
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = mix(address) & mask;
    while (keys[i] != EMPTY && keys[i] != address) {
      i = (i + 1) & mask;
    }
    if (keys[i] == EMPTY) {
      size++;
    }
    keys[i] = address;
    values[i] = connection;
  }

  /** Removes {@code address} if it still maps to {@code connection}. */
  void remove(int address, Connection connection) {
    int mask = keys.length - 1;
    int i = mix(address) & mask;
    while (keys[i] != EMPTY) {
      if (keys[i] == address) {
        if (values[i] != connection) {
          return;
        }
        keys[i] = EMPTY;
        values[i] = null;
        size--;
        // Re-insert the rest of the cluster so later lookups do not stop at the hole.
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
          int key = keys[j];
          Connection value = values[j];
          keys[j] = EMPTY;
          values[j] = null;
          size--;
          put(key, value);
        }
        return;
      }
      i = (i + 1) & mask;
    }
  }

  int size() {
    return size;
  }

  private void grow() {
    int[] oldKeys = keys;
    Connection[] oldValues = values;
    keys = new int[oldKeys.length * 2];
    values = new Connection[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
