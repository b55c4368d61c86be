package dev.ringway.testkit.wolfssl;

import static dev.ringway.testkit.wolfssl.WolfSslLibrary.invoke;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One wolfSSL DTLS client session with its own context, over {@link DatagramIo} callbacks instead
 * of a socket: non-blocking, so every call returns at once and says whether it waits for a
 * datagram. The caller drives it: {@link #connect()} until true, waiting for its socket up to
 * {@link #retransmitTimeout()} between calls and calling {@link #onTimeout()} when nothing came;
 * then {@link #write} one record per call and {@link #read} until null after each datagram.
 *
 * <p>Not thread-safe: one thread at a time (the callbacks run on the calling thread).
 */
public final class DtlsClient implements AutoCloseable {
  /** {@link WolfSslException#code()} when the peer closed the session ({@code ZERO_RETURN}). */
  public static final int PEER_CLOSED = WolfSslLibrary.ERROR_ZERO_RETURN;

  /** Largest plaintext of one (D)TLS record. */
  private static final int MAX_RECORD = 16384;

  /** Sessions by the id wolfSSL hands back to the callbacks as their {@code ctx} pointer. */
  private static final Map<Long, DtlsClient> SESSIONS = new ConcurrentHashMap<>();

  private static final AtomicLong IDS = new AtomicLong(1);
  private static final Map<WolfSslLibrary, MemorySegment[]> CALLBACKS = new ConcurrentHashMap<>();

  /**
   * What the session offers and checks.
   *
   * @param version the client method: DTLS 1.2 or DTLS 1.3 only
   * @param caFile PEM file of the certificate authorities the server's chain must lead to
   * @param cipherList wolfSSL cipher list ({@code :}-separated wolfSSL names)
   * @param serverName the name the server's certificate must carry (also sent as SNI when the build
   *     has it); null checks no name
   * @param mtu the most DTLS bytes per datagram, or 0 for wolfSSL's default
   */
  public record Options(
      DtlsVersion version, Path caFile, String cipherList, String serverName, int mtu) {
    public Options {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(caFile, "caFile");
      Objects.requireNonNull(cipherList, "cipherList");
      if (mtu < 0 || mtu > 0xffff) {
        throw new IllegalArgumentException("mtu out of range: " + mtu);
      }
    }
  }

  private final WolfSslLibrary wolf;
  private final Options options;
  private final DatagramIo io;
  private final long id;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment buffer;
  private final MemorySegment ctx;
  private final MemorySegment ssl;
  private ByteBuffer pending;
  private Throwable ioFailure;
  private boolean closed;

  private DtlsClient(WolfSslLibrary wolf, Options options, DatagramIo io) {
    this.wolf = wolf;
    this.options = options;
    this.io = io;
    this.id = IDS.getAndIncrement();
    this.buffer = arena.allocate(MAX_RECORD);
    MemorySegment method = (MemorySegment) invoke(wolf.methods.get(options.version()));
    ctx = (MemorySegment) invoke(wolf.ctxNew, method);
    if (ctx.equals(MemorySegment.NULL)) {
      arena.close();
      throw new WolfSslException("wolfSSL_CTX_new", 0, "no context", null);
    }
    MemorySegment created = MemorySegment.NULL;
    try {
      configureContext();
      created = (MemorySegment) invoke(wolf.sslNew, ctx);
      if (created.equals(MemorySegment.NULL)) {
        throw new WolfSslException("wolfSSL_new", 0, "no session", null);
      }
      configureSession(created);
    } catch (RuntimeException e) {
      if (!created.equals(MemorySegment.NULL)) {
        invoke(wolf.sslFree, created);
      }
      invoke(wolf.ctxFree, ctx);
      arena.close();
      throw e;
    }
    ssl = created;
    SESSIONS.put(id, this);
  }

  /**
   * A client on the wolfSSL library at {@code library} (see {@link
   * dev.ringway.testkit.WolfSsl#library()}); the handshake starts with the first {@link
   * #connect()}.
   */
  public static DtlsClient open(Path library, Options options, DatagramIo io) {
    return new DtlsClient(WolfSslLibrary.load(library), options, io);
  }

  /** True when this build can set the DTLS MTU ({@code wolfSSL_dtls_set_mtu}). */
  public static boolean supportsMtu(Path library) {
    return WolfSslLibrary.load(library).dtlsSetMtu.isPresent();
  }

  /** True when this build can send SNI ({@code wolfSSL_UseSNI}). */
  public static boolean supportsSni(Path library) {
    return WolfSslLibrary.load(library).useSni.isPresent();
  }

  private void configureContext() {
    try (Arena call = Arena.ofConfined()) {
      int loaded =
          (int)
              invoke(
                  wolf.ctxLoadVerifyLocations,
                  ctx,
                  call.allocateFrom(options.caFile().toString()),
                  MemorySegment.NULL);
      if (loaded != WolfSslLibrary.SUCCESS) {
        throw rejected("wolfSSL_CTX_load_verify_locations(" + options.caFile() + ")", loaded);
      }
      int ciphers =
          (int) invoke(wolf.ctxSetCipherList, ctx, call.allocateFrom(options.cipherList()));
      if (ciphers != WolfSslLibrary.SUCCESS) {
        throw rejected("wolfSSL_CTX_set_cipher_list(" + options.cipherList() + ")", ciphers);
      }
    }
    invoke(wolf.ctxSetVerify, ctx, WolfSslLibrary.VERIFY_PEER, MemorySegment.NULL);
    MemorySegment[] callbacks = callbacks(wolf);
    invoke(wolf.ctxSetIoRecv, ctx, callbacks[0]);
    invoke(wolf.ctxSetIoSend, ctx, callbacks[1]);
  }

  private void configureSession(MemorySegment session) {
    MemorySegment handle = MemorySegment.ofAddress(id);
    invoke(wolf.setIoReadCtx, session, handle);
    invoke(wolf.setIoWriteCtx, session, handle);
    invoke(wolf.dtlsSetUsingNonblock, session, 1);
    if (options.mtu() > 0) {
      var setMtu =
          wolf.dtlsSetMtu.orElseThrow(() ->
              new UnsupportedOperationException(
                  "this wolfSSL build cannot set the DTLS MTU (configure --enable-dtls-mtu)"));
      int result = (int) invoke(setMtu, session, (short) options.mtu());
      if (result != WolfSslLibrary.SUCCESS) {
        throw rejected("wolfSSL_dtls_set_mtu(" + options.mtu() + ")", result);
      }
    }
    if (options.serverName() != null) {
      try (Arena call = Arena.ofConfined()) {
        MemorySegment name = call.allocateFrom(options.serverName());
        int checked = (int) invoke(wolf.checkDomainName, session, name);
        if (checked != WolfSslLibrary.SUCCESS) {
          throw rejected("wolfSSL_check_domain_name(" + options.serverName() + ")", checked);
        }
        if (wolf.useSni.isPresent()) {
          byte[] bytes = options.serverName().getBytes(StandardCharsets.US_ASCII);
          MemorySegment data = call.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
          int sni =
              (int)
                  invoke(
                      wolf.useSni.get(),
                      session,
                      (byte) WolfSslLibrary.SNI_HOST_NAME,
                      data,
                      (short) bytes.length);
          if (sni != WolfSslLibrary.SUCCESS) {
            throw rejected("wolfSSL_UseSNI(" + options.serverName() + ")", sni);
          }
        }
      }
    }
  }

  /**
   * Advances the handshake: true once it is complete, false while it waits for a datagram.
   *
   * @throws WolfSslException when the handshake failed (a bad certificate, an alert, a name that
   *     does not match)
   */
  public boolean connect() {
    int result = (int) invoke(wolf.connect, ssl);
    if (result == WolfSslLibrary.SUCCESS) {
      return true;
    }
    int error = error(result);
    if (error == WolfSslLibrary.ERROR_WANT_READ || error == WolfSslLibrary.ERROR_WANT_WRITE) {
      return false;
    }
    throw failure("wolfSSL_connect", error);
  }

  /**
   * Waits for the caller's socket: true when a datagram arrived within {@code limit}, false when
   * the time ran out.
   */
  @FunctionalInterface
  public interface Readiness {
    boolean await(Duration limit) throws IOException;
  }

  /**
   * Runs the handshake to its end, waiting on {@code readiness} between steps and retransmitting
   * when wolfSSL's timer expires.
   *
   * @throws WolfSslException when the handshake failed
   * @throws IOException when waiting failed, or the handshake did not end within {@code limit}
   */
  public void handshake(Duration limit, Readiness readiness) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!connect()) {
      awaitDatagram(deadline, readiness, "the handshake");
    }
  }

  /**
   * The next record's plaintext, waiting on {@code readiness} for datagrams (and retransmitting
   * what wolfSSL has in flight when its timer expires) until {@code limit}.
   *
   * @throws IOException when no record came within {@code limit}
   */
  public byte[] readRecord(Duration limit, Readiness readiness) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    byte[] record;
    while ((record = read()) == null) {
      awaitDatagram(deadline, readiness, "a record");
    }
    return record;
  }

  private void awaitDatagram(long deadline, Readiness readiness, String what) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new IOException("no end to " + what + " in time");
    }
    Duration wait = retransmitTimeout();
    if (wait.toNanos() > left) {
      wait = Duration.ofNanos(left);
    }
    if (!readiness.await(wait) && System.nanoTime() - deadline < 0) {
      onTimeout();
    }
  }

  /** Encrypts {@code plaintext} (its remaining bytes) as one record and sends it. */
  public void write(ByteBuffer plaintext) {
    int length = plaintext.remaining();
    if (length == 0 || length > MAX_RECORD) {
      throw new IllegalArgumentException("a record carries 1.." + MAX_RECORD + " bytes: " + length);
    }
    buffer.asSlice(0, length).copyFrom(MemorySegment.ofBuffer(plaintext));
    int result = (int) invoke(wolf.write, ssl, buffer, length);
    if (result != length) {
      throw failure("wolfSSL_write", result > 0 ? result : error(result));
    }
    plaintext.position(plaintext.limit());
  }

  /**
   * The plaintext of the next record, or null when no record is complete and wolfSSL waits for a
   * datagram. Handshake and post-handshake messages (ACKs, KeyUpdate) are processed on the way.
   *
   * @throws WolfSslException when the session failed, or with {@link #PEER_CLOSED} as its code when
   *     the peer sent close_notify
   */
  public byte[] read() {
    int result = (int) invoke(wolf.read, ssl, buffer, MAX_RECORD);
    if (result > 0) {
      return buffer.asSlice(0, result).toArray(ValueLayout.JAVA_BYTE);
    }
    int error = error(result);
    if (error == WolfSslLibrary.ERROR_WANT_READ || error == WolfSslLibrary.ERROR_WANT_WRITE) {
      return null;
    }
    if (error == WolfSslLibrary.ERROR_ZERO_RETURN) {
      throw new WolfSslException("wolfSSL_read", PEER_CLOSED, "the peer sent close_notify", null);
    }
    throw failure("wolfSSL_read", error);
  }

  /**
   * How long to wait for a datagram before {@link #onTimeout()}: wolfSSL's current DTLS timeout
   * (whole seconds, doubling on each retransmission), a quarter of it when DTLS 1.3 asks for a
   * quick timeout.
   */
  public Duration retransmitTimeout() {
    Duration timeout =
        Duration.ofSeconds(Math.max(1, (int) invoke(wolf.dtlsGetCurrentTimeout, ssl)));
    if (options.version() == DtlsVersion.DTLS_1_3
        && (int) invoke(wolf.dtls13UseQuickTimeout, ssl) != 0) {
      return timeout.dividedBy(4);
    }
    return timeout;
  }

  /**
   * Tells wolfSSL its timer expired: it retransmits its last flight (or unacknowledged DTLS 1.3
   * messages).
   *
   * @throws WolfSslException when it gave up (too many retransmissions)
   */
  public void onTimeout() {
    int result = (int) invoke(wolf.dtlsGotTimeout, ssl);
    if (result == WolfSslLibrary.SUCCESS) {
      return;
    }
    int error = error(result);
    if (error != WolfSslLibrary.ERROR_WANT_READ && error != WolfSslLibrary.ERROR_WANT_WRITE) {
      throw failure("wolfSSL_dtls_got_timeout", error);
    }
  }

  /** Starts a (D)TLS 1.3 KeyUpdate: new sending keys now, the peer's follow when it answers. */
  public void updateKeys() {
    int result = (int) invoke(wolf.updateKeys, ssl);
    if (result == WolfSslLibrary.SUCCESS) {
      return;
    }
    int error = error(result);
    if (error != WolfSslLibrary.ERROR_WANT_READ && error != WolfSslLibrary.ERROR_WANT_WRITE) {
      throw failure("wolfSSL_update_keys", error);
    }
  }

  /**
   * True while a KeyUpdate still waits for its answer ({@code wolfSSL_key_update_response}: the
   * update the peer must respond to, as Lightway polls it).
   */
  public boolean keyUpdatePending() {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment required = call.allocate(ValueLayout.JAVA_INT);
      int result = (int) invoke(wolf.keyUpdateResponse, ssl, required);
      if (result != 0) {
        throw rejected("wolfSSL_key_update_response", result);
      }
      return required.get(ValueLayout.JAVA_INT, 0) != 0;
    }
  }

  /** The negotiated protocol, as wolfSSL names it ({@code "DTLS 1.2"}, {@code "DTLS 1.3"}). */
  public String version() {
    return WolfSslLibrary.text((MemorySegment) invoke(wolf.getVersion, ssl));
  }

  /** The negotiated cipher suite, by wolfSSL's name ({@code "TLS13-AES256-GCM-SHA384"} …). */
  public String cipher() {
    return WolfSslLibrary.text((MemorySegment) invoke(wolf.getCipherName, ssl));
  }

  /** The key exchange group ({@code "SECP256R1"}, {@code "X25519"} …), or empty if unknown. */
  public String curve() {
    return WolfSslLibrary.text((MemorySegment) invoke(wolf.getCurveName, ssl));
  }

  /** Sends close_notify; does not wait for the peer's. */
  public void shutdown() {
    int result = (int) invoke(wolf.shutdown, ssl);
    if (result == WolfSslLibrary.SUCCESS || result == WolfSslLibrary.SHUTDOWN_NOT_DONE) {
      return;
    }
    int error = error(result);
    if (error != WolfSslLibrary.ERROR_WANT_READ && error != WolfSslLibrary.ERROR_WANT_WRITE) {
      throw failure("wolfSSL_shutdown", error);
    }
  }

  /** Frees the session and its context; the callbacks no longer reach {@link DatagramIo}. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    SESSIONS.remove(id);
    invoke(wolf.sslFree, ssl);
    invoke(wolf.ctxFree, ctx);
    arena.close();
  }

  private int error(int result) {
    return (int) invoke(wolf.getError, ssl, result);
  }

  /** A configuration call refused: {@code result} is its return value, not a session error. */
  private WolfSslException rejected(String call, int result) {
    return new WolfSslException(call, result, wolf.resultString(result), null);
  }

  private WolfSslException failure(String call, int code) {
    Throwable cause = ioFailure;
    ioFailure = null;
    return new WolfSslException(call, code, wolf.errorString(code), cause);
  }

  private static MemorySegment[] callbacks(WolfSslLibrary wolf) {
    return CALLBACKS.computeIfAbsent(
        wolf,
        library -> {
          try {
            MethodType type =
                MethodType.methodType(
                    int.class,
                    MemorySegment.class,
                    MemorySegment.class,
                    int.class,
                    MemorySegment.class);
            var lookup = MethodHandles.lookup();
            return new MemorySegment[] {
              library.upcall(lookup.findStatic(DtlsClient.class, "onReceive", type)),
              library.upcall(lookup.findStatic(DtlsClient.class, "onSend", type))
            };
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * wolfSSL's receive callback: the rest of the datagram {@link DatagramIo#receive()} gave, or
   * {@code WANT_READ}. Nothing may escape an upcall (the JVM would end), so failures are kept for
   * the exception the failed wolfSSL call then raises.
   */
  static int onReceive(MemorySegment sslPointer, MemorySegment into, int size, MemorySegment ctx) {
    DtlsClient session = SESSIONS.get(ctx.address());
    if (session == null) {
      return WolfSslLibrary.CBIO_ERR_GENERAL;
    }
    try {
      while (session.pending == null || !session.pending.hasRemaining()) {
        session.pending = session.io.receive();
        if (session.pending == null) {
          return WolfSslLibrary.CBIO_ERR_WANT_READ;
        }
      }
      ByteBuffer datagram = session.pending;
      int length = Math.min(size, datagram.remaining());
      into.reinterpret(size)
          .asSlice(0, length)
          .copyFrom(MemorySegment.ofBuffer(datagram.slice(datagram.position(), length)));
      datagram.position(datagram.position() + length);
      return length;
    } catch (Throwable t) {
      session.ioFailure = t;
      return WolfSslLibrary.CBIO_ERR_GENERAL;
    }
  }

  /** wolfSSL's send callback: one whole datagram to {@link DatagramIo#send}. */
  static int onSend(MemorySegment sslPointer, MemorySegment from, int size, MemorySegment ctx) {
    DtlsClient session = SESSIONS.get(ctx.address());
    if (session == null) {
      return WolfSslLibrary.CBIO_ERR_GENERAL;
    }
    try {
      ByteBuffer datagram = ByteBuffer.allocate(size);
      MemorySegment.ofBuffer(datagram).copyFrom(from.reinterpret(size));
      session.io.send(datagram);
      return size;
    } catch (Throwable t) {
      session.ioFailure = t;
      return WolfSslLibrary.CBIO_ERR_GENERAL;
    }
  }
}
