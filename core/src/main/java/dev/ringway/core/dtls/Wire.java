package dev.ringway.core.dtls;

import java.util.Arrays;

/** Big-endian encoding helpers for handshake messages: a growable writer and a bounded reader. */
final class Wire {
  private Wire() {}

  static final class Writer {
    private byte[] buf = new byte[256];
    private int len;

    Writer u8(int v) {
      ensure(1);
      buf[len++] = (byte) v;
      return this;
    }

    Writer u16(int v) {
      ensure(2);
      buf[len++] = (byte) (v >>> 8);
      buf[len++] = (byte) v;
      return this;
    }

    Writer u24(int v) {
      ensure(3);
      buf[len++] = (byte) (v >>> 16);
      buf[len++] = (byte) (v >>> 8);
      buf[len++] = (byte) v;
      return this;
    }

    Writer bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    Writer vec8(byte[] b) {
      return u8(b.length).bytes(b);
    }

    Writer vec16(byte[] b) {
      return u16(b.length).bytes(b);
    }

    Writer vec24(byte[] b) {
      return u24(b.length).bytes(b);
    }

    /** Reserves a length field of {@code size} bytes; {@link #close} fills it in. */
    int open(int size) {
      ensure(size);
      int at = len;
      len += size;
      return at | size << 28;
    }

    Writer close(int mark) {
      int at = mark & 0x0fffffff;
      int size = mark >>> 28;
      int n = len - at - size;
      for (int i = 0; i < size; i++) {
        buf[at + i] = (byte) (n >>> (8 * (size - 1 - i)));
      }
      return this;
    }

    int length() {
      return len;
    }

    byte[] toArray() {
      return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }
  }

  static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf) {
      this(buf, 0, buf.length);
    }

    Reader(byte[] buf, int offset, int length) {
      this.buf = buf;
      this.pos = offset;
      this.end = offset + length;
    }

    int u8() throws DtlsException {
      need(1);
      return buf[pos++] & 0xff;
    }

    int u16() throws DtlsException {
      need(2);
      int v = (buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    int u24() throws DtlsException {
      need(3);
      int v = (buf[pos] & 0xff) << 16 | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff);
      pos += 3;
      return v;
    }

    byte[] bytes(int n) throws DtlsException {
      need(n);
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }

    byte[] vec8() throws DtlsException {
      return bytes(u8());
    }

    byte[] vec16() throws DtlsException {
      return bytes(u16());
    }

    byte[] vec24() throws DtlsException {
      return bytes(u24());
    }

    Reader sub16() throws DtlsException {
      int n = u16();
      need(n);
      Reader r = new Reader(buf, pos, n);
      pos += n;
      return r;
    }

    Reader sub8() throws DtlsException {
      int n = u8();
      need(n);
      Reader r = new Reader(buf, pos, n);
      pos += n;
      return r;
    }

    Reader sub24() throws DtlsException {
      int n = u24();
      need(n);
      Reader r = new Reader(buf, pos, n);
      pos += n;
      return r;
    }

    boolean more() {
      return pos < end;
    }

    void done() throws DtlsException {
      if (pos != end) {
        throw new DtlsException(Alert.DECODE_ERROR, "trailing bytes");
      }
    }

    private void need(int n) throws DtlsException {
      if (n < 0 || end - pos < n) {
        throw new DtlsException(Alert.DECODE_ERROR, "truncated message");
      }
    }
  }
}
