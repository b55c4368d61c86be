package dev.ringway.core.dtls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * One DTLS 1.3 association with one peer, client or server, with no I/O and no clock: the caller
 * feeds datagrams, the time ({@code System.nanoTime()} or any monotonic clock) and timer expiries
 * in, and gets datagrams to send and application records out through {@link Output}.
 *
 * <p>Slow work (key generation and agreement, signing, chain validation) is delegated like {@code
 * SSLEngine}'s tasks: when {@link #hasTask()} is true the caller runs {@link #takeTask()} on a
 * worker and then calls {@link #resume} on its own thread; the handoff must give a happens-before
 * edge (an executor and a queue back to the I/O thread do). With {@code inlineTasks} configured the
 * work runs inside the call that needed it. Everything else is single-threaded: call a session from
 * one thread at a time.
 *
 * <p>Records that fail authentication, replays, unknown epochs and malformed records are counted in
 * {@link DtlsStats} and dropped; a protocol failure sends a fatal alert and throws {@link
 * DtlsException} carrying it. Once the handshake is complete, {@link #send} and received
 * application records allocate nothing of their own.
 */
public final class DtlsSession {

  /** Where a session puts its results; buffers are valid only during the call. */
  public interface Output {
    /** A datagram to send to the peer. */
    void transmit(ByteBuffer datagram);

    /** A decrypted application record from the peer. */
    void deliver(ByteBuffer applicationData);
  }

  private enum State {
    CLIENT_START,
    WAIT_SERVER_HELLO,
    WAIT_ENCRYPTED_EXTENSIONS,
    WAIT_CERTIFICATE,
    WAIT_CERTIFICATE_VERIFY,
    WAIT_SERVER_FINISHED,
    SERVER_START,
    WAIT_CLIENT_FINISHED,
    CONNECTED,
    CLOSED,
    FAILED
  }

  private interface Work {
    void run() throws DtlsException;
  }

  private interface Step {
    void run(Output out) throws DtlsException;
  }

  static final long INITIAL_RTO_NANOS = 100_000_000L;
  static final long MAX_RTO_NANOS = 3_200_000_000L;
  static final int MAX_RETRANSMISSIONS = 10;
  private static final int WINDOW = 8;
  private static final byte[] CV_CONTEXT =
      "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);
  private static final int[] CLIENT_SCHEMES = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806};
  private static final int[] CERT_SCHEMES = {
    0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601
  };

  private final boolean client;
  private final DtlsClientConfig clientConfig;
  private final DtlsServerConfig serverConfig;
  private final DtlsCookieGate.Accepted accepted;
  private final DtlsStats stats;
  private final int maxDatagram;
  private final boolean inline;
  private final SecureRandom random = new SecureRandom();

  private State state;
  private int failureAlert = -1;
  private boolean peerClosed;

  private CipherSuite suite;
  private KeySchedule keys;
  private NamedGroup group;
  private NamedGroup.ClientShare clientShare;
  private byte[] clientRandom;
  private byte[] sessionId = new byte[0];
  private byte[] cookie;
  private boolean retried;
  private boolean sawServerHello;
  private ByteArrayOutputStream transcript = new ByteArrayOutputStream();
  private byte[] clientHandshakeSecret;
  private byte[] serverHandshakeSecret;
  private byte[] sendSecret;
  private byte[] receiveSecret;
  private List<X509Certificate> peerChain;

  private final RecordCipher[] receive = new RecordCipher[4];
  private RecordCipher sendHandshake;
  private RecordCipher sendApplication;
  private long epoch0Seq;
  private long highestReceiveEpoch;

  private int nextReceiveSeq;
  private int nextSendSeq;
  private final TreeMap<Integer, Incoming> incoming = new TreeMap<>();

  private final List<Fragment> flight = new ArrayList<>();
  private boolean keyUpdateInFlight;
  private boolean finishedInFlight;
  private long timerAt = Long.MAX_VALUE;
  private long rto = INITIAL_RTO_NANOS;
  private int retransmissions;

  private final long[] ackEpochs = new long[64];
  private final long[] ackSeqs = new long[64];
  private int ackCount;
  private boolean ackNow;
  private boolean sawOldMessage;

  private final List<byte[]> earlyRecords = new ArrayList<>();

  /** Set by tests only: send a wrong Finished, to see the peer refuse it with decrypt_error. */
  boolean corruptFinished;

  /** Set by tests only: offer a legacy_session_id as a pre-5.9 wolfSSL client does. */
  void offerLegacySessionId(byte[] id) {
    sessionId = id.clone();
  }

  private boolean maskProven;
  private boolean legacyChaChaCounter;

  private Runnable task;
  private volatile boolean taskDone;
  private DtlsException taskError;
  private Step continuation;

  private final ByteBuffer tx;
  private ByteBuffer plain;
  private ByteBuffer scratch;
  private final long[] seqOut = new long[1];

  private static final class Incoming {
    final int type;
    final int length;
    final long epoch;
    final byte[] body;
    final long[] bits;
    int covered;

    Incoming(int type, int length, long epoch) {
      this.type = type;
      this.length = length;
      this.epoch = epoch;
      this.body = new byte[length];
      this.bits = new long[(length + 64) / 64];
    }
  }

  private static final class Fragment {
    final long epoch;
    final int type;
    final int messageSeq;
    final byte[] body;
    final int offset;
    final int length;
    boolean acked;
    final long[] recordEpochs = new long[MAX_RETRANSMISSIONS + 2];
    final long[] recordSeqs = new long[MAX_RETRANSMISSIONS + 2];
    int records;

    Fragment(long epoch, int type, int messageSeq, byte[] body, int offset, int length) {
      this.epoch = epoch;
      this.type = type;
      this.messageSeq = messageSeq;
      this.body = body;
      this.offset = offset;
      this.length = length;
    }
  }

  private DtlsSession(
      boolean client,
      DtlsClientConfig clientConfig,
      DtlsServerConfig serverConfig,
      DtlsCookieGate.Accepted accepted,
      DtlsStats stats) {
    this.client = client;
    this.clientConfig = clientConfig;
    this.serverConfig = serverConfig;
    this.accepted = accepted;
    this.stats = stats;
    this.maxDatagram = client ? clientConfig.maxDatagram() : serverConfig.maxDatagram();
    this.inline = client ? clientConfig.inlineTasks() : serverConfig.inlineTasks();
    this.tx = ByteBuffer.allocate(maxDatagram);
    this.state = client ? State.CLIENT_START : State.SERVER_START;
  }

  /** A client session; {@link #start} sends the ClientHello. */
  public static DtlsSession client(DtlsClientConfig config, DtlsStats stats) {
    return new DtlsSession(true, config, null, null, stats);
  }

  /**
   * A server session for a ClientHello the cookie gate accepted; {@link #start} answers it. Create
   * it only on {@link DtlsCookieGate.Verdict#ACCEPT}.
   */
  public static DtlsSession server(
      DtlsServerConfig config, DtlsCookieGate.Accepted hello, DtlsStats stats) {
    return new DtlsSession(false, null, config, hello, stats);
  }

  /** Starts the handshake: the client's first flight, or the server's answer to the hello. */
  public void start(long nowNanos, Output out) throws DtlsException {
    borrowScratch();
    if (state != State.CLIENT_START && state != State.SERVER_START) {
      throw new IllegalStateException("already started");
    }
    stats.started();
    try {
      if (client) {
        clientRandom = randomBytes();
        NamedGroup g = clientConfig.keyShareGroup();
        schedule(() -> clientShare = g.generate(), o -> sendClientHello(nowNanos, o), out);
      } else {
        serverStart(nowNanos, out);
      }
      afterInput(nowNanos, out);
    } catch (DtlsException e) {
      throw fail(e, out);
    }
  }

  /** Feeds one datagram (position to limit; the buffer's position is left unchanged). */
  public void receive(ByteBuffer datagram, long nowNanos, Output out) throws DtlsException {
    borrowScratch();
    if (state == State.CLOSED || state == State.FAILED) {
      stats.unexpected();
      return;
    }
    try {
      records(datagram, nowNanos, out);
      afterInput(nowNanos, out);
    } catch (DtlsException e) {
      throw fail(e, out);
    }
  }

  /**
   * Seals one application record of at most {@link #maxPlaintext()} bytes (position to limit,
   * consumed) and transmits it.
   */
  public void send(ByteBuffer plaintext, long nowNanos, Output out) {
    if (state != State.CONNECTED) {
      throw new IllegalStateException("not connected: " + state);
    }
    if (plaintext.remaining() > maxPlaintext()) {
      throw new IllegalArgumentException(
          "record of " + plaintext.remaining() + " bytes exceeds " + maxPlaintext());
    }
    tx.clear();
    sendApplication.seal(Handshake.CT_APPLICATION, plaintext, tx);
    tx.flip();
    out.transmit(tx);
  }

  /** The largest application record {@link #send} takes: one record fills one datagram. */
  public int maxPlaintext() {
    return Math.min(16384, maxDatagram - RecordCipher.recordSize(0));
  }

  /** Retransmits what is due; call it when {@link #nextTimerNanos()} has passed. */
  public void onTimer(long nowNanos, Output out) throws DtlsException {
    borrowScratch();
    if (nowNanos < timerAt || state == State.CLOSED || state == State.FAILED) {
      return;
    }
    if (retransmissions >= MAX_RETRANSMISSIONS) {
      timerAt = Long.MAX_VALUE;
      boolean handshaking = state != State.CONNECTED;
      state = State.FAILED;
      if (handshaking) {
        stats.timedOut();
      }
      throw new DtlsException(Alert.HANDSHAKE_FAILURE, "peer did not answer: gave up");
    }
    retransmissions++;
    rto = Math.min(rto * 2, MAX_RTO_NANOS);
    try {
      retransmitFlight(out);
    } catch (DtlsException e) {
      throw fail(e, out);
    }
    timerAt = nowNanos + rto;
  }

  /** When {@link #onTimer} wants to be called, or {@link Long#MAX_VALUE} for never. */
  public long nextTimerNanos() {
    return timerAt;
  }

  /**
   * Starts a KeyUpdate asking the peer to update too (RFC 9147 §8); the new sending epoch is used
   * once the peer acknowledges it. Returns false while the handshake's last flight or an earlier
   * KeyUpdate is still unacknowledged.
   */
  public boolean requestKeyUpdate(long nowNanos, Output out) throws DtlsException {
    borrowScratch();
    if (state != State.CONNECTED) {
      throw new IllegalStateException("not connected: " + state);
    }
    if (!flight.isEmpty()) {
      return false;
    }
    try {
      sendKeyUpdate(true, nowNanos, out);
    } catch (DtlsException e) {
      throw fail(e, out);
    }
    return true;
  }

  /** Sends close_notify and closes the session. */
  public void close(Output out) {
    borrowScratch();
    if (state == State.CLOSED || state == State.FAILED) {
      return;
    }
    sendAlert(Alert.CLOSE_NOTIFY, out);
    state = State.CLOSED;
    timerAt = Long.MAX_VALUE;
  }

  /** True when slow work waits for {@link #takeTask()}. */
  public boolean hasTask() {
    return task != null;
  }

  /** The pending slow work, to run on a worker thread; then call {@link #resume}. */
  public Runnable takeTask() {
    Runnable t = task;
    task = null;
    return t;
  }

  /** Continues after the task from {@link #takeTask()} has run. */
  public void resume(long nowNanos, Output out) throws DtlsException {
    borrowScratch();
    if (continuation == null || !taskDone) {
      return;
    }
    try {
      finishTask(out);
      afterInput(nowNanos, out);
    } catch (DtlsException e) {
      throw fail(e, out);
    }
  }

  public boolean isHandshakeComplete() {
    return state == State.CONNECTED || (state == State.CLOSED && sendApplication != null);
  }

  /** True after close_notify was sent or received. */
  public boolean isClosed() {
    return state == State.CLOSED;
  }

  /** True when the peer sent close_notify. */
  public boolean peerClosed() {
    return peerClosed;
  }

  public boolean isFailed() {
    return state == State.FAILED;
  }

  /** The alert description the session failed with (sent or received), or -1. */
  public int failureAlert() {
    return failureAlert;
  }

  /** The negotiated suite's IANA name, or null before ServerHello. */
  public String cipherSuite() {
    return suite == null ? null : suite.name();
  }

  /** The negotiated key-exchange group's name, or null before ServerHello. */
  public String group() {
    return group == null ? null : group.name();
  }

  public String protocol() {
    return "DTLSv1.3";
  }

  /** The sending epoch of application data: 3 after the handshake, +1 per KeyUpdate. */
  public long sendEpoch() {
    return sendApplication == null ? -1 : sendApplication.epoch;
  }

  /** The highest receiving epoch installed. */
  public long receiveEpoch() {
    return highestReceiveEpoch;
  }

  /** The server's certificate chain as the client validated it (client only). */
  public List<X509Certificate> peerCertificates() {
    return peerChain == null ? List.of() : List.copyOf(peerChain);
  }

  private void borrowScratch() {
    Scratch sc = Scratch.get();
    plain = sc.plain;
    scratch = sc.frame;
  }

  // ---- tasks

  private void schedule(Work work, Step then, Output out) throws DtlsException {
    continuation = then;
    taskDone = false;
    taskError = null;
    Runnable r =
        () -> {
          try {
            work.run();
          } catch (DtlsException e) {
            taskError = e;
          } catch (RuntimeException e) {
            taskError = new DtlsException(Alert.INTERNAL_ERROR, "task failed: " + e, e);
          }
          taskDone = true;
        };
    if (inline) {
      r.run();
      finishTask(out);
    } else {
      task = r;
    }
  }

  private void finishTask(Output out) throws DtlsException {
    Step c = continuation;
    continuation = null;
    taskDone = false;
    if (taskError != null) {
      DtlsException e = taskError;
      taskError = null;
      throw e;
    }
    c.run(out);
  }

  // ---- record layer in

  private void records(ByteBuffer d, long now, Output out) throws DtlsException {
    int p = d.position();
    int end = d.limit();
    while (p < end) {
      int first = d.get(p) & 0xff;
      if ((first & 0xe0) == 0x20) {
        if ((first & 0x10) != 0) {
          stats.malformed();
          return;
        }
        int headerLength = 1 + ((first & 0x08) != 0 ? 2 : 1) + ((first & 0x04) != 0 ? 2 : 0);
        if (end - p < headerLength) {
          stats.malformed();
          return;
        }
        int length = (first & 0x04) != 0 ? headerLength + u16(d, p + headerLength - 2) : end - p;
        if (p + length > end) {
          stats.malformed();
          return;
        }
        RecordCipher rc = receive[first & 3];
        if (rc == null) {
          if (client && sawServerHello && (first & 3) == 2 && earlyRecords.size() < 16) {
            byte[] copy = new byte[length];
            d.get(p, copy);
            earlyRecords.add(copy);
          } else {
            stats.unknownEpoch();
          }
        } else {
          boolean legacy = rc.legacyChaChaCounter;
          int type = rc.open(d, p, headerLength, length, plain, seqOut, !maskProven);
          if (type >= 0) {
            maskProven = true;
            if (rc.legacyChaChaCounter != legacy) {
              legacyChaChaCounter = rc.legacyChaChaCounter;
              alignMasks();
            }
          }
          if (type == -1) {
            stats.badMac();
          } else if (type == -2) {
            stats.replay();
          } else {
            protectedRecord(type, rc.epoch, seqOut[0], now, out);
          }
        }
        p += length;
      } else if (first == Handshake.CT_HANDSHAKE
          || first == Handshake.CT_ALERT
          || first == Handshake.CT_ACK) {
        if (end - p < 13) {
          stats.malformed();
          return;
        }
        int length = u16(d, p + 11);
        if (p + 13 + length > end) {
          stats.malformed();
          return;
        }
        if (length > plain.capacity()) {
          stats.malformed();
        } else if (u16(d, p + 3) != 0) {
          stats.unknownEpoch();
        } else if (receive[2] != null && first != Handshake.CT_HANDSHAKE) {
          stats.unexpected();
        } else {
          plain.clear();
          plain.put(0, d, p + 13, length);
          plain.limit(length);
          long seq = (long) u16(d, p + 5) << 32 | ((long) u16(d, p + 7) << 16) | u16(d, p + 9);
          content(first, 0, seq, now, out);
        }
        p += 13 + length;
      } else {
        stats.malformed();
        return;
      }
    }
  }

  private void protectedRecord(int type, long epoch, long seq, long now, Output out)
      throws DtlsException {
    if (client && epoch >= 3 && finishedInFlight) {
      clearFlight();
    }
    content(type, epoch, seq, now, out);
  }

  private void content(int type, long epoch, long seq, long now, Output out) throws DtlsException {
    switch (type) {
      case Handshake.CT_APPLICATION -> {
        if (epoch < 3 || state != State.CONNECTED) {
          stats.unexpected();
        } else {
          out.deliver(plain);
        }
      }
      case Handshake.CT_HANDSHAKE -> handshakeRecord(epoch, seq);
      case Handshake.CT_ALERT -> alert(epoch);
      case Handshake.CT_ACK -> {
        if (epoch < 2) {
          stats.unexpected();
        } else {
          ack(now);
        }
      }
      default -> stats.unexpected();
    }
  }

  private void alert(long epoch) throws DtlsException {
    if (plain.remaining() != 2) {
      stats.malformed();
      return;
    }
    int description = plain.get(1) & 0xff;
    if (description == Alert.CLOSE_NOTIFY) {
      if (epoch < 2) {
        stats.unexpected();
        return;
      }
      peerClosed = true;
      state = State.CLOSED;
      timerAt = Long.MAX_VALUE;
      return;
    }
    if (state != State.CONNECTED) {
      stats.failed(description);
    }
    state = State.FAILED;
    failureAlert = description;
    timerAt = Long.MAX_VALUE;
    throw new DtlsException(description, "peer sent fatal alert " + Alert.name(description));
  }

  private void handshakeRecord(long epoch, long recordSeq) throws DtlsException {
    int p = plain.position();
    int end = plain.limit();
    boolean counted = false;
    while (end - p >= 12) {
      int type = plain.get(p) & 0xff;
      int total = u24(plain, p + 1);
      int msgSeq = u16(plain, p + 4);
      int fragOff = u24(plain, p + 6);
      int fragLen = u24(plain, p + 9);
      if (12 + fragLen > end - p || fragOff + fragLen > total || total > Handshake.MAX_MESSAGE) {
        stats.malformed();
        return;
      }
      if (epoch == 0 && receive[2] != null && msgSeq >= nextReceiveSeq) {
        // Once handshake keys exist, plaintext can only be a retransmission of a hello; anything
        // new in epoch 0 is unauthenticated and must not drive the state machine.
        stats.unexpected();
      } else if (msgSeq < nextReceiveSeq) {
        sawOldMessage = true;
        if (epoch >= 2) {
          ackNow = true;
        }
      } else if (msgSeq < nextReceiveSeq + WINDOW) {
        Incoming m = incoming.get(msgSeq);
        if (m == null) {
          m = new Incoming(type, total, epoch);
          incoming.put(msgSeq, m);
        }
        if (m.type != type || m.length != total || m.epoch != epoch) {
          stats.malformed();
          return;
        }
        for (int i = 0; i < fragLen; i++) {
          int at = fragOff + i;
          long bit = 1L << (at & 63);
          if ((m.bits[at >>> 6] & bit) == 0) {
            m.bits[at >>> 6] |= bit;
            m.covered++;
            m.body[at] = plain.get(p + 12 + i);
          }
        }
      }
      if (epoch >= 2 && !counted && ackCount < ackEpochs.length) {
        ackEpochs[ackCount] = epoch;
        ackSeqs[ackCount] = recordSeq;
        ackCount++;
        counted = true;
      }
      p += 12 + fragLen;
    }
  }

  private void ack(long now) {
    if (plain.remaining() < 2 || u16(plain, plain.position()) != plain.remaining() - 2) {
      stats.malformed();
      return;
    }
    int p = plain.position() + 2;
    while (plain.limit() - p >= 16) {
      long epoch = plain.getLong(p);
      long seq = plain.getLong(p + 8);
      for (Fragment f : flight) {
        for (int i = 0; i < f.records; i++) {
          if (f.recordEpochs[i] == epoch && f.recordSeqs[i] == seq) {
            f.acked = true;
          }
        }
      }
      p += 16;
    }
    if (!flight.isEmpty() && flight.stream().allMatch(f -> f.acked)) {
      boolean update = keyUpdateInFlight;
      clearFlight();
      if (update) {
        sendSecret = keys.nextTrafficSecret(sendSecret);
        sendApplication = cipher(sendApplication.epoch + 1, sendSecret);
        stats.keyUpdate();
      }
    }
  }

  // ---- after each input: handshake messages, retransmission on old messages, ACKs

  private void afterInput(long now, Output out) throws DtlsException {
    processMessages(now, out);
    if (sawOldMessage) {
      sawOldMessage = false;
      if (!flight.isEmpty() && continuation == null) {
        retransmitFlight(out);
      }
    }
    boolean expectingMore =
        state == State.WAIT_ENCRYPTED_EXTENSIONS
            || state == State.WAIT_CERTIFICATE
            || state == State.WAIT_CERTIFICATE_VERIFY
            || state == State.WAIT_SERVER_FINISHED
            || state == State.WAIT_CLIENT_FINISHED
            || !incoming.isEmpty();
    if (ackCount > 0 && (ackNow || expectingMore)) {
      sendAck(out);
    }
    ackNow = false;
  }

  private void processMessages(long now, Output out) throws DtlsException {
    while (continuation == null && state != State.FAILED && state != State.CLOSED) {
      Incoming m = incoming.get(nextReceiveSeq);
      if (m == null || m.covered != m.length) {
        return;
      }
      incoming.remove(nextReceiveSeq);
      nextReceiveSeq++;
      message(m.type, m.body, m.epoch, now, out);
    }
  }

  private void message(int type, byte[] body, long epoch, long now, Output out)
      throws DtlsException {
    if (type == Handshake.KEY_UPDATE) {
      if (state != State.CONNECTED || epoch < 3) {
        throw new DtlsException(Alert.UNEXPECTED_MESSAGE, "KeyUpdate before the handshake ended");
      }
      keyUpdateReceived(body, epoch, now, out);
      return;
    }
    boolean wantEpoch0 = type == Handshake.SERVER_HELLO || type == Handshake.CLIENT_HELLO;
    if ((wantEpoch0 && epoch != 0) || (!wantEpoch0 && epoch != 2)) {
      throw new DtlsException(Alert.UNEXPECTED_MESSAGE, "message " + type + " in epoch " + epoch);
    }
    switch (state) {
      case WAIT_SERVER_HELLO -> {
        expect(type, Handshake.SERVER_HELLO);
        serverHello(body, now, out);
      }
      case WAIT_ENCRYPTED_EXTENSIONS -> {
        expect(type, Handshake.ENCRYPTED_EXTENSIONS);
        Wire.Reader r = new Wire.Reader(body);
        Wire.Reader exts = r.sub16();
        while (exts.more()) {
          exts.u16();
          exts.vec16();
        }
        r.done();
        addTranscript(type, body);
        state = State.WAIT_CERTIFICATE;
      }
      case WAIT_CERTIFICATE -> {
        expect(type, Handshake.CERTIFICATE);
        certificate(body);
      }
      case WAIT_CERTIFICATE_VERIFY -> {
        expect(type, Handshake.CERTIFICATE_VERIFY);
        certificateVerify(body, out);
      }
      case WAIT_SERVER_FINISHED -> {
        expect(type, Handshake.FINISHED);
        serverFinished(body, now, out);
      }
      case WAIT_CLIENT_FINISHED -> {
        expect(type, Handshake.FINISHED);
        clientFinished(body, out);
      }
      default ->
          throw new DtlsException(Alert.UNEXPECTED_MESSAGE, "message " + type + " in " + state);
    }
  }

  private static void expect(int type, int wanted) throws DtlsException {
    if (type != wanted) {
      throw new DtlsException(
          Alert.UNEXPECTED_MESSAGE, "expected message " + wanted + ", got " + type);
    }
  }

  // ---- client

  private void sendClientHello(long now, Output out) throws DtlsException {
    Wire.Writer w = new Wire.Writer().u16(Handshake.DTLS12).bytes(clientRandom).vec8(sessionId);
    w.u8(0);
    int s = w.open(2);
    for (CipherSuite cs : clientConfig.suites()) {
      w.u16(cs.code);
    }
    w.close(s).u8(1).u8(0);
    int exts = w.open(2);
    w.u16(Handshake.EXT_SUPPORTED_VERSIONS).u16(3).u8(2).u16(Handshake.DTLS13);
    w.u16(Handshake.EXT_SUPPORTED_GROUPS);
    int g = w.open(2);
    int gl = w.open(2);
    for (NamedGroup ng : clientConfig.groups()) {
      w.u16(ng.code);
    }
    w.close(gl).close(g);
    w.u16(Handshake.EXT_KEY_SHARE);
    int k = w.open(2);
    int kl = w.open(2);
    w.u16(clientShare.group().code).vec16(clientShare.share());
    w.close(kl).close(k);
    schemes(w, Handshake.EXT_SIGNATURE_ALGORITHMS, CLIENT_SCHEMES);
    schemes(w, Handshake.EXT_SIGNATURE_ALGORITHMS_CERT, CERT_SCHEMES);
    String name = clientConfig.serverName();
    if (name != null && !isIpLiteral(name)) {
      byte[] host = name.getBytes(StandardCharsets.US_ASCII);
      w.u16(Handshake.EXT_SERVER_NAME).u16(host.length + 5).u16(host.length + 3).u8(0).vec16(host);
    }
    if (cookie != null) {
      w.u16(Handshake.EXT_COOKIE).u16(cookie.length + 2).vec16(cookie);
    }
    w.close(exts);
    byte[] body = w.toArray();
    addTranscript(Handshake.CLIENT_HELLO, body);
    clearFlight();
    queue(0, Handshake.CLIENT_HELLO, body);
    state = State.WAIT_SERVER_HELLO;
    startFlight(now, out);
  }

  private static void schemes(Wire.Writer w, int ext, int[] schemes) {
    w.u16(ext).u16(2 + 2 * schemes.length).u16(2 * schemes.length);
    for (int s : schemes) {
      w.u16(s);
    }
  }

  private void serverHello(byte[] body, long now, Output out) throws DtlsException {
    Handshake.ServerHello sh = Handshake.ServerHello.parse(body);
    if (sh.version() != Handshake.DTLS13) {
      throw new DtlsException(Alert.PROTOCOL_VERSION, "server did not select DTLS 1.3");
    }
    CipherSuite cs = CipherSuite.byCode(sh.suite());
    if (cs == null || !clientConfig.suites().contains(cs) || (suite != null && cs != suite)) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "server chose suite " + sh.suite());
    }
    if (!Arrays.equals(sh.sessionId(), sessionId)) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "legacy_session_id_echo mismatch");
    }
    suite = cs;
    keys = new KeySchedule(cs, KeySchedule.DTLS_PREFIX);
    clearFlight();
    if (sh.retry()) {
      if (retried) {
        throw new DtlsException(Alert.UNEXPECTED_MESSAGE, "second HelloRetryRequest");
      }
      retried = true;
      NamedGroup requested = sh.group() < 0 ? null : NamedGroup.byCode(sh.group());
      if (sh.group() >= 0
          && (requested == null
              || !clientConfig.groups().contains(requested)
              || requested == clientShare.group())) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "HelloRetryRequest group " + sh.group());
      }
      if (requested == null && sh.cookie() == null) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "HelloRetryRequest changes nothing");
      }
      byte[] first = keys.hash(transcript.toByteArray());
      transcript = new ByteArrayOutputStream();
      transcript.writeBytes(Handshake.message(Handshake.MESSAGE_HASH, first));
      addTranscript(Handshake.SERVER_HELLO, body);
      cookie = sh.cookie();
      if (requested != null) {
        schedule(() -> clientShare = requested.generate(), o -> sendClientHello(now, o), out);
      } else {
        sendClientHello(now, out);
      }
      return;
    }
    NamedGroup g = NamedGroup.byCode(sh.group());
    if (g != clientShare.group() || sh.share() == null) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "server key share for group " + sh.group());
    }
    group = g;
    sawServerHello = true;
    addTranscript(Handshake.SERVER_HELLO, body);
    byte[][] secret = new byte[1][];
    NamedGroup.ClientShare mine = clientShare;
    byte[] theirs = sh.share();
    schedule(
        () -> secret[0] = g.finish(mine, theirs),
        o -> {
          byte[] hs = keys.handshakeSecret(keys.earlySecret(), secret[0]);
          byte[] th = transcriptHash();
          clientHandshakeSecret = keys.deriveSecret(hs, "c hs traffic", th);
          serverHandshakeSecret = keys.deriveSecret(hs, "s hs traffic", th);
          receiveSecret = hs;
          installReceive(2, serverHandshakeSecret);
          sendHandshake = cipher(2, clientHandshakeSecret);
          clientShare = null;
          state = State.WAIT_ENCRYPTED_EXTENSIONS;
          List<byte[]> early = new ArrayList<>(earlyRecords);
          earlyRecords.clear();
          for (byte[] r : early) {
            records(ByteBuffer.wrap(r), now, o);
          }
        },
        out);
  }

  private void certificate(byte[] body) throws DtlsException {
    Wire.Reader r = new Wire.Reader(body);
    if (r.vec8().length != 0) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "certificate_request_context not empty");
    }
    Wire.Reader list = r.sub24();
    r.done();
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      while (list.more()) {
        byte[] der = list.vec24();
        list.vec16();
        chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (GeneralSecurityException e) {
      throw new DtlsException(Alert.BAD_CERTIFICATE, "unparsable certificate", e);
    }
    if (chain.isEmpty()) {
      throw new DtlsException(Alert.DECODE_ERROR, "empty certificate list");
    }
    peerChain = chain;
    addTranscript(Handshake.CERTIFICATE, body);
    state = State.WAIT_CERTIFICATE_VERIFY;
  }

  private void certificateVerify(byte[] body, Output out) throws DtlsException {
    Wire.Reader r = new Wire.Reader(body);
    int scheme = r.u16();
    byte[] signature = r.vec16();
    r.done();
    byte[] th = transcriptHash();
    addTranscript(Handshake.CERTIFICATE_VERIFY, body);
    List<X509Certificate> chain = peerChain;
    schedule(
        () -> {
          validateChain(chain);
          verifySignature(chain.get(0).getPublicKey(), scheme, signature, th);
        },
        o -> state = State.WAIT_SERVER_FINISHED,
        out);
  }

  private void validateChain(List<X509Certificate> chain) throws DtlsException {
    try {
      PKIXParameters params = new PKIXParameters(clientConfig.trustAnchors());
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
    } catch (CertPathValidatorException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CertificateExpiredException
          || cause instanceof CertificateNotYetValidException
          || e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
          || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
        throw new DtlsException(Alert.CERTIFICATE_EXPIRED, "certificate not valid now", e);
      }
      if (e.getReason() == java.security.cert.PKIXReason.NO_TRUST_ANCHOR) {
        throw new DtlsException(Alert.UNKNOWN_CA, "no trust anchor for the chain", e);
      }
      throw new DtlsException(Alert.BAD_CERTIFICATE, "chain does not validate: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new DtlsException(Alert.BAD_CERTIFICATE, "chain does not validate: " + e, e);
    }
    String name = clientConfig.serverName();
    if (name != null && !matchesName(chain.get(0), name)) {
      throw new DtlsException(Alert.BAD_CERTIFICATE, "certificate does not name " + name);
    }
  }

  static boolean matchesName(X509Certificate cert, String name) {
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (GeneralSecurityException e) {
      return false;
    }
    if (sans == null) {
      return false;
    }
    boolean ip = isIpLiteral(name);
    byte[] address = null;
    if (ip) {
      try {
        address = InetAddress.ofLiteral(name).getAddress();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    String host = name.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    for (List<?> san : sans) {
      int kind = (Integer) san.get(0);
      String value = String.valueOf(san.get(1));
      if (ip && kind == 7) {
        try {
          if (Arrays.equals(InetAddress.ofLiteral(value).getAddress(), address)) {
            return true;
          }
        } catch (IllegalArgumentException e) {
          continue;
        }
      } else if (!ip && kind == 2) {
        String pattern = value.toLowerCase(Locale.ROOT);
        if (pattern.equals(host)) {
          return true;
        }
        if (pattern.startsWith("*.")) {
          int dot = host.indexOf('.');
          if (dot > 0 && host.substring(dot).equals(pattern.substring(1))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isIpLiteral(String name) {
    return name.indexOf(':') >= 0 || name.matches("[0-9.]+");
  }

  private void verifySignature(PublicKey key, int scheme, byte[] signature, byte[] th)
      throws DtlsException {
    if (Arrays.stream(CLIENT_SCHEMES).noneMatch(s -> s == scheme)) {
      throw new DtlsException(
          Alert.ILLEGAL_PARAMETER, "signature scheme " + scheme + " not offered");
    }
    try {
      Signature v = signer(scheme, key);
      v.initVerify(key);
      v.update(signedContent(th));
      if (!v.verify(signature)) {
        throw new DtlsException(Alert.DECRYPT_ERROR, "CertificateVerify signature is wrong");
      }
    } catch (GeneralSecurityException e) {
      throw new DtlsException(Alert.DECRYPT_ERROR, "CertificateVerify does not verify", e);
    }
  }

  private static Signature signer(int scheme, java.security.Key key)
      throws GeneralSecurityException, DtlsException {
    switch (scheme) {
      case 0x0403, 0x0503, 0x0603 -> {
        if (!(key instanceof ECKey ec)) {
          throw new DtlsException(Alert.ILLEGAL_PARAMETER, "ECDSA scheme for a non-EC key");
        }
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        int expected = scheme == 0x0403 ? 256 : scheme == 0x0503 ? 384 : 521;
        if (bits != expected) {
          throw new DtlsException(Alert.ILLEGAL_PARAMETER, "ECDSA scheme for another curve");
        }
        return Signature.getInstance(
            scheme == 0x0403
                ? "SHA256withECDSA"
                : scheme == 0x0503 ? "SHA384withECDSA" : "SHA512withECDSA");
      }
      case 0x0804, 0x0805, 0x0806 -> {
        if (!(key instanceof RSAKey)) {
          throw new DtlsException(Alert.ILLEGAL_PARAMETER, "RSA-PSS scheme for a non-RSA key");
        }
        String h = scheme == 0x0804 ? "SHA-256" : scheme == 0x0805 ? "SHA-384" : "SHA-512";
        int saltLength = scheme == 0x0804 ? 32 : scheme == 0x0805 ? 48 : 64;
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec(h, "MGF1", new MGF1ParameterSpec(h), saltLength, 1));
        return s;
      }
      default ->
          throw new DtlsException(
              Alert.ILLEGAL_PARAMETER, "unsupported signature scheme " + scheme);
    }
  }

  private static byte[] signedContent(byte[] th) {
    byte[] content = new byte[64 + CV_CONTEXT.length + 1 + th.length];
    Arrays.fill(content, 0, 64, (byte) 0x20);
    System.arraycopy(CV_CONTEXT, 0, content, 64, CV_CONTEXT.length);
    System.arraycopy(th, 0, content, 64 + CV_CONTEXT.length + 1, th.length);
    return content;
  }

  private void serverFinished(byte[] body, long now, Output out) throws DtlsException {
    byte[] expected = keys.finished(serverHandshakeSecret, transcriptHash());
    if (!MessageDigest.isEqual(expected, body)) {
      throw new DtlsException(Alert.DECRYPT_ERROR, "server Finished is wrong");
    }
    addTranscript(Handshake.FINISHED, body);
    byte[] master = keys.masterSecret(receiveSecret);
    byte[] th = transcriptHash();
    byte[] clientApp = keys.deriveSecret(master, "c ap traffic", th);
    byte[] serverApp = keys.deriveSecret(master, "s ap traffic", th);
    byte[] finished = keys.finished(clientHandshakeSecret, th);
    addTranscript(Handshake.FINISHED, finished);
    if (corruptFinished) {
      finished = finished.clone();
      finished[0] ^= 1;
    }
    ackCount = 0;
    clearFlight();
    queue(2, Handshake.FINISHED, finished);
    finishedInFlight = true;
    sendSecret = clientApp;
    sendApplication = cipher(3, clientApp);
    installReceive(3, serverApp);
    receiveSecret = serverApp;
    state = State.CONNECTED;
    stats.completed();
    startFlight(now, out);
  }

  // ---- server

  private void serverStart(long now, Output out) throws DtlsException {
    Handshake.ClientHello ch = Handshake.ClientHello.parse(accepted.clientHello);
    if (!ch.versions().contains(Handshake.DTLS13)) {
      throw new DtlsException(Alert.PROTOCOL_VERSION, "client does not offer DTLS 1.3");
    }
    suite = accepted.suite;
    if (!ch.suites().contains(suite.code) || !serverConfig.suites().contains(suite)) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "suite changed after HelloRetryRequest");
    }
    keys = new KeySchedule(suite, KeySchedule.DTLS_PREFIX);
    sessionId = ch.sessionId();
    transcript.writeBytes(Handshake.message(Handshake.MESSAGE_HASH, accepted.firstHelloHash));
    addTranscript(
        Handshake.SERVER_HELLO,
        Handshake.helloRetryRequest(sessionId, suite, accepted.hrrGroup, accepted.cookie));
    addTranscript(Handshake.CLIENT_HELLO, accepted.clientHello);
    nextReceiveSeq = accepted.messageSeq + 1;
    nextSendSeq = accepted.messageSeq;
    epoch0Seq = Math.max(1, accepted.recordSeq + 1);
    Handshake.KeyShare chosen = null;
    if (accepted.hrrGroup != 0) {
      for (Handshake.KeyShare ks : ch.shares()) {
        if (ks.group() == accepted.hrrGroup) {
          chosen = ks;
        }
      }
      if (chosen == null || ch.shares().size() != 1) {
        throw new DtlsException(Alert.ILLEGAL_PARAMETER, "no key share for the requested group");
      }
    } else {
      search:
      for (NamedGroup g : serverConfig.groups()) {
        for (Handshake.KeyShare ks : ch.shares()) {
          if (ks.group() == g.code) {
            chosen = ks;
            break search;
          }
        }
      }
      if (chosen == null) {
        throw new DtlsException(Alert.HANDSHAKE_FAILURE, "no acceptable key share");
      }
    }
    NamedGroup g = NamedGroup.byCode(chosen.group());
    if (g == null || !serverConfig.groups().contains(g)) {
      throw new DtlsException(Alert.ILLEGAL_PARAMETER, "key share group " + chosen.group());
    }
    group = g;
    if (ch.signatureSchemes().isEmpty()) {
      throw new DtlsException(Alert.MISSING_EXTENSION, "no signature_algorithms");
    }
    int scheme = chooseScheme(serverConfig.key(), ch.signatureSchemes());
    byte[] clientShareBytes = chosen.share();
    byte[][] flightBodies = new byte[5][];
    schedule(
        () -> serverKeys(clientShareBytes, scheme, flightBodies),
        o -> {
          installReceive(2, clientHandshakeSecret);
          sendHandshake = cipher(2, serverHandshakeSecret);
          queue(0, Handshake.SERVER_HELLO, flightBodies[0]);
          queue(2, Handshake.ENCRYPTED_EXTENSIONS, flightBodies[1]);
          queue(2, Handshake.CERTIFICATE, flightBodies[2]);
          queue(2, Handshake.CERTIFICATE_VERIFY, flightBodies[3]);
          queue(2, Handshake.FINISHED, flightBodies[4]);
          state = State.WAIT_CLIENT_FINISHED;
          startFlight(now, o);
        },
        out);
  }

  private byte[] serverApplicationSecret;
  private byte[] clientApplicationSecret;

  private void serverKeys(byte[] clientShareBytes, int scheme, byte[][] bodies)
      throws DtlsException {
    NamedGroup.ServerShare share = group.respond(clientShareBytes);
    bodies[0] = Handshake.serverHello(randomBytes(), sessionId, suite, group, share.share());
    addTranscript(Handshake.SERVER_HELLO, bodies[0]);
    byte[] hs = keys.handshakeSecret(keys.earlySecret(), share.secret());
    byte[] th = transcriptHash();
    clientHandshakeSecret = keys.deriveSecret(hs, "c hs traffic", th);
    serverHandshakeSecret = keys.deriveSecret(hs, "s hs traffic", th);
    bodies[1] = new Wire.Writer().u16(0).toArray();
    addTranscript(Handshake.ENCRYPTED_EXTENSIONS, bodies[1]);
    Wire.Writer cert = new Wire.Writer().u8(0);
    int list = cert.open(3);
    try {
      for (X509Certificate c : serverConfig.chain()) {
        cert.vec24(c.getEncoded()).u16(0);
      }
    } catch (GeneralSecurityException e) {
      throw new DtlsException(Alert.INTERNAL_ERROR, "cannot encode certificate", e);
    }
    bodies[2] = cert.close(list).toArray();
    addTranscript(Handshake.CERTIFICATE, bodies[2]);
    try {
      PrivateKey key = serverConfig.key();
      Signature s = signer(scheme, key);
      s.initSign(key, random);
      s.update(signedContent(transcriptHash()));
      bodies[3] = new Wire.Writer().u16(scheme).vec16(s.sign()).toArray();
    } catch (GeneralSecurityException e) {
      throw new DtlsException(Alert.INTERNAL_ERROR, "cannot sign CertificateVerify", e);
    }
    addTranscript(Handshake.CERTIFICATE_VERIFY, bodies[3]);
    bodies[4] = keys.finished(serverHandshakeSecret, transcriptHash());
    addTranscript(Handshake.FINISHED, bodies[4]);
    if (corruptFinished) {
      bodies[4] = bodies[4].clone();
      bodies[4][0] ^= 1;
    }
    byte[] master = keys.masterSecret(hs);
    byte[] th2 = transcriptHash();
    clientApplicationSecret = keys.deriveSecret(master, "c ap traffic", th2);
    serverApplicationSecret = keys.deriveSecret(master, "s ap traffic", th2);
  }

  private static int chooseScheme(PrivateKey key, List<Integer> offered) throws DtlsException {
    if (key instanceof ECKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      int scheme = bits == 256 ? 0x0403 : bits == 384 ? 0x0503 : bits == 521 ? 0x0603 : -1;
      if (scheme > 0 && offered.contains(scheme)) {
        return scheme;
      }
    } else if (key instanceof RSAKey) {
      for (int scheme : new int[] {0x0804, 0x0805, 0x0806}) {
        if (offered.contains(scheme)) {
          return scheme;
        }
      }
    }
    throw new DtlsException(Alert.HANDSHAKE_FAILURE, "no signature scheme in common");
  }

  private void clientFinished(byte[] body, Output out) throws DtlsException {
    byte[] expected = keys.finished(clientHandshakeSecret, transcriptHash());
    if (!MessageDigest.isEqual(expected, body)) {
      throw new DtlsException(Alert.DECRYPT_ERROR, "client Finished is wrong");
    }
    addTranscript(Handshake.FINISHED, body);
    clearFlight();
    sendSecret = serverApplicationSecret;
    sendApplication = cipher(3, serverApplicationSecret);
    installReceive(3, clientApplicationSecret);
    receiveSecret = clientApplicationSecret;
    state = State.CONNECTED;
    stats.completed();
    ackNow = true;
  }

  // ---- KeyUpdate

  private void sendKeyUpdate(boolean requestPeer, long now, Output out) throws DtlsException {
    clearFlight();
    queue(sendApplication.epoch, Handshake.KEY_UPDATE, new byte[] {(byte) (requestPeer ? 1 : 0)});
    keyUpdateInFlight = true;
    startFlight(now, out);
  }

  private void keyUpdateReceived(byte[] body, long epoch, long now, Output out)
      throws DtlsException {
    if (body.length != 1 || (body[0] & 0xff) > 1) {
      throw new DtlsException(Alert.DECODE_ERROR, "bad KeyUpdate");
    }
    if (epoch != highestReceiveEpoch) {
      throw new DtlsException(Alert.UNEXPECTED_MESSAGE, "KeyUpdate in an old epoch");
    }
    receiveSecret = keys.nextTrafficSecret(receiveSecret);
    installReceive(epoch + 1, receiveSecret);
    ackNow = true;
    if (body[0] == 1 && flight.isEmpty()) {
      sendAck(out);
      sendKeyUpdate(false, now, out);
    }
  }

  private void installReceive(long epoch, byte[] secret) {
    receive[(int) (epoch & 3)] = cipher(epoch, secret);
    highestReceiveEpoch = epoch;
  }

  private RecordCipher cipher(long epoch, byte[] secret) {
    RecordCipher rc = new RecordCipher(suite, epoch, keys.trafficKeys(secret));
    rc.legacyChaChaCounter = legacyChaChaCounter;
    return rc;
  }

  private void alignMasks() {
    for (RecordCipher rc : receive) {
      if (rc != null) {
        rc.legacyChaChaCounter = legacyChaChaCounter;
      }
    }
    if (sendHandshake != null) {
      sendHandshake.legacyChaChaCounter = legacyChaChaCounter;
    }
    if (sendApplication != null) {
      sendApplication.legacyChaChaCounter = legacyChaChaCounter;
    }
  }

  // ---- flights out

  private void queue(long epoch, int type, byte[] body) throws DtlsException {
    int overhead = epoch == 0 ? 13 : RecordCipher.recordSize(0);
    int max = maxDatagram - overhead - 12;
    int seq = nextSendSeq++;
    int off = 0;
    do {
      int len = Math.min(max, body.length - off);
      flight.add(new Fragment(epoch, type, seq, body, off, len));
      off += len;
    } while (off < body.length);
  }

  private void clearFlight() {
    flight.clear();
    keyUpdateInFlight = false;
    finishedInFlight = false;
    timerAt = Long.MAX_VALUE;
  }

  private void startFlight(long now, Output out) throws DtlsException {
    rto = INITIAL_RTO_NANOS;
    retransmissions = 0;
    transmitFlight(out);
    timerAt = now + rto;
  }

  private void retransmitFlight(Output out) throws DtlsException {
    stats.retransmission();
    if (!maskProven && suite != null && suite.chacha() && sendHandshake != null) {
      // Nothing protected has come back yet: the peer may be an old wolfSSL that reads the
      // ChaCha20 mask counter byte-swapped, so alternate between the two readings.
      legacyChaChaCounter = !legacyChaChaCounter;
      alignMasks();
    }
    transmitFlight(out);
  }

  private void transmitFlight(Output out) throws DtlsException {
    tx.clear();
    for (Fragment f : flight) {
      if (f.acked) {
        continue;
      }
      int size = (f.epoch == 0 ? 13 : RecordCipher.recordSize(0)) + 12 + f.length;
      if (tx.position() + size > maxDatagram) {
        flush(out);
      }
      scratch.clear();
      scratch
          .put((byte) f.type)
          .put((byte) (f.body.length >>> 16))
          .putShort((short) f.body.length)
          .putShort((short) f.messageSeq)
          .put((byte) (f.offset >>> 16))
          .putShort((short) f.offset)
          .put((byte) (f.length >>> 16))
          .putShort((short) f.length)
          .put(f.body, f.offset, f.length)
          .flip();
      long seq;
      long epoch;
      if (f.epoch == 0) {
        seq = epoch0Seq++;
        epoch = 0;
        tx.put((byte) Handshake.CT_HANDSHAKE)
            .putShort((short) Handshake.DTLS12)
            .putShort((short) 0);
        tx.putShort((short) (seq >>> 32)).putInt((int) seq).putShort((short) scratch.remaining());
        tx.put(scratch);
      } else {
        RecordCipher rc = f.epoch == 2 ? sendHandshake : sendApplication;
        epoch = rc.epoch;
        seq = rc.seal(Handshake.CT_HANDSHAKE, scratch, tx);
      }
      int slot = f.records % f.recordEpochs.length;
      f.recordEpochs[slot] = epoch;
      f.recordSeqs[slot] = seq;
      f.records = Math.min(f.records + 1, f.recordEpochs.length);
    }
    flush(out);
  }

  private void flush(Output out) {
    if (tx.position() > 0) {
      tx.flip();
      out.transmit(tx);
    }
    tx.clear();
  }

  private void sendAck(Output out) {
    RecordCipher rc = state == State.CONNECTED ? sendApplication : sendHandshake;
    if (rc == null) {
      ackCount = 0;
      return;
    }
    int n = Math.min(ackCount, (maxDatagram - RecordCipher.recordSize(2)) / 16);
    scratch.clear();
    scratch.putShort((short) (16 * n));
    for (int i = 0; i < n; i++) {
      scratch.putLong(ackEpochs[i]).putLong(ackSeqs[i]);
    }
    scratch.flip();
    tx.clear();
    rc.seal(Handshake.CT_ACK, scratch, tx);
    tx.flip();
    out.transmit(tx);
    tx.clear();
    ackCount = 0;
  }

  private void sendAlert(int description, Output out) {
    scratch.clear();
    scratch.put((byte) (description == Alert.CLOSE_NOTIFY ? 1 : 2)).put((byte) description).flip();
    tx.clear();
    RecordCipher rc = sendApplication != null ? sendApplication : sendHandshake;
    if (rc != null && (state == State.CONNECTED || sendApplication == null)) {
      rc.seal(Handshake.CT_ALERT, scratch, tx);
    } else {
      long seq = epoch0Seq++;
      tx.put((byte) Handshake.CT_ALERT).putShort((short) Handshake.DTLS12).putShort((short) 0);
      tx.putShort((short) (seq >>> 32)).putInt((int) seq).putShort((short) 2).put(scratch);
    }
    tx.flip();
    out.transmit(tx);
    tx.clear();
  }

  private DtlsException fail(DtlsException e, Output out) {
    if (state != State.FAILED) {
      boolean handshaking = state != State.CONNECTED && state != State.CLOSED;
      if (failureAlert < 0) {
        failureAlert = e.alert();
        sendAlert(e.alert(), out);
      }
      if (handshaking) {
        stats.failed(failureAlert);
      }
      state = State.FAILED;
      timerAt = Long.MAX_VALUE;
      task = null;
      continuation = null;
    }
    return e;
  }

  // ---- helpers

  private void addTranscript(int type, byte[] body) {
    transcript.writeBytes(Handshake.message(type, body));
  }

  private byte[] transcriptHash() {
    return keys.hash(transcript.toByteArray());
  }

  private byte[] randomBytes() {
    byte[] r = new byte[32];
    random.nextBytes(r);
    return r;
  }

  private static int u16(ByteBuffer b, int p) {
    return (b.get(p) & 0xff) << 8 | (b.get(p + 1) & 0xff);
  }

  private static int u24(ByteBuffer b, int p) {
    return (b.get(p) & 0xff) << 16 | u16(b, p + 1);
  }
}
