package dev.ringway.core.expresslane;

import dev.ringway.core.wire.ExpresslaneCipher;
import dev.ringway.core.wire.ExpresslaneConfig;
import dev.ringway.core.wire.ExpresslaneVersion;
import dev.ringway.core.wire.ReplayWindow;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Expresslane for one side of one connection (digest §2.12, §2.14, §3.11), with no I/O and no clock
 * of its own: the connection passes {@code nowNanos} in and sends the {@link ExpresslaneConfig}
 * frames handed to its {@link Output} over (D)TLS.
 *
 * <p><b>Keys.</b> Each side picks its own send key and announces it (counter, E=1, A=0); the peer
 * installs it as its receive key and acknowledges (same config, A=1). Only on that acknowledgement
 * does the sender switch to the new key, so the receiver always holds it first; the receiver keeps
 * its previous receive key as well, so packets sealed under the old key and still in flight open
 * after the switch. A side re-announces every {@link ExpresslaneSettings#keyRotation()} (checked
 * when online, after a peer config and before each outgoing inside packet, so an idle connection
 * does not rotate), retransmits an unacknowledged announcement after 0.5 s × (1 + n) up to 5 times,
 * and then falls back to (D)TLS until the next outgoing packet re-arms it. A server waits for the
 * client to announce first. The all-zero key, or E=0, means "stop using Expresslane".
 *
 * <p><b>Data.</b> {@link #seal} and {@link #open} work on the bytes after the 16-byte outer header:
 * counter (u64, first packet 1), random 12-byte IV, tag, length, flags (0x8000 = encoded), then the
 * ciphertext. The AAD is session id ‖ counter (V1) plus the flags word (V2); the version is settled
 * before the first data packet and fixed after it. Received counters pass an 8192-packet replay
 * window, checked before decryption and moved only by authentic packets. Every drop is counted by
 * reason and returned as a value; nothing a peer sends makes these methods throw.
 *
 * <p><b>Allocation.</b> Buffers are allocated once (the scratch arrays grow to the largest packet
 * seen), and the session itself allocates nothing per packet. What remains is the JDK's: every
 * {@code Cipher.init} with a new IV builds a new GCM engine (GHASH and counter state, a copy of the
 * key and of the IV), about 1.1 KB per packet sealed or opened on JDK 25 (see {@code
 * ExpresslaneAllocationTest}). The JCE offers no way to change a GCM IV without it. A GCM of our
 * own over an {@code AES/ECB} cipher set up once would allocate nothing (the ECB keystream for 1350
 * bytes took 0.25 µs), but GHASH in Java without the JDK's carry-less-multiply intrinsic took 5-8
 * µs per packet against about 2 µs for the JDK's whole GCM, so the garbage is the cheaper cost.
 *
 * <p>Not thread-safe: the loop thread that owns the connection owns its session.
 */
public final class ExpresslaneSession {
  /** Bytes between the outer header and the ciphertext. */
  public static final int HEADER_SIZE = ExpresslaneCipher.HEADER_SIZE;

  /** Largest inside packet: the length field is 16 bits. */
  public static final int MAX_PLAINTEXT = 0xffff;

  /** Retransmissions of an unacknowledged config before giving up (Lightway's 5). */
  static final int MAX_RETRANSMISSIONS = 5;

  /** The first retransmission wait; the n-th waits {@code (1 + n)} times this. */
  static final long RETRANSMIT_BASE_NANOS = 500_000_000L;

  /** A health window needs this many packets sent before losses count (§3.11). */
  static final long HEALTH_MIN_PACKETS = 10;

  /** Strikes, or windows without statistics, in a row before degrading. */
  static final int HEALTH_LIMIT = 3;

  private static final int IV_SIZE = 12;
  private static final int FLAG_ENCODED = 0x8000;
  private static final int INITIAL_SCRATCH = 2048;

  /** Where the session puts the configs to send over (D)TLS. */
  public interface Output {
    void sendConfig(ExpresslaneConfig config);
  }

  private final boolean server;
  private final ExpresslaneSettings settings;
  private final long rotationNanos;
  private final SecureRandom keyRandom;
  private final RandomGenerator ivRandom;
  private final Output output;

  private ExpresslaneState state;
  private boolean online;
  private boolean peerStopped;
  private ExpresslaneVersion version = ExpresslaneVersion.UNKNOWN;

  // Send side: the key in use, and the one announced but not yet acknowledged.
  private PacketKey currentSelf;
  private PacketKey nextSelf;
  private boolean nextSelfIsNoKey;
  private long configCounter;
  private ExpresslaneConfig unacknowledged;
  private int retransmissions;
  private long retransmitAt = Long.MAX_VALUE;
  private boolean rotatedOnce;
  private long lastRotationNanos;

  // Receive side: the peer's current key and the one before it.
  private PacketKey currentPeer;
  private PacketKey previousPeer;
  private final ReplayWindow window = new ReplayWindow();

  // Health, from the keepalive statistics (§3.11).
  private long lastPeerSent;
  private long lastPeerReceived;
  private long lastOwnSent;
  private long lastOwnReceived;
  private int inboundStrikes;
  private int outboundStrikes;
  private int windowsWithoutStats;

  private long packetsSent;
  private long bytesSent;
  private long packetsReceived;
  private long bytesReceived;
  private long encryptNoKey;
  private long decryptNoKey;
  private long decryptFailed;
  private long replayed;
  private long insufficientData;
  private long oversized;

  private final byte[] iv = new byte[IV_SIZE];
  private final byte[] aad = new byte[18];
  private byte[] work = new byte[INITIAL_SCRATCH + PacketKey.TAG_SIZE];
  private byte[] plain = new byte[INITIAL_SCRATCH];

  private ExpresslaneSession(
      boolean server,
      ExpresslaneSettings settings,
      SecureRandom keyRandom,
      RandomGenerator ivRandom,
      Output output) {
    this.server = server;
    this.settings = Objects.requireNonNull(settings);
    this.rotationNanos = settings.keyRotation().toNanos();
    this.keyRandom = Objects.requireNonNull(keyRandom);
    this.ivRandom = Objects.requireNonNull(ivRandom);
    this.output = Objects.requireNonNull(output);
    this.state =
        !settings.enabled()
            ? ExpresslaneState.DISABLED
            : server ? ExpresslaneState.WAITING_FOR_CLIENT : ExpresslaneState.INACTIVE;
  }

  /**
   * A client's session. {@code ivRandom} draws each packet's IV: a {@link SecureRandom} or a
   * well-seeded generator of at least 128 bits of state (GCM needs IVs that do not repeat under a
   * key, not secret ones).
   */
  public static ExpresslaneSession client(
      ExpresslaneSettings settings,
      SecureRandom keyRandom,
      RandomGenerator ivRandom,
      Output output) {
    return new ExpresslaneSession(false, settings, keyRandom, ivRandom, output);
  }

  /** A server's session; it never announces before the client did. */
  public static ExpresslaneSession server(
      ExpresslaneSettings settings,
      SecureRandom keyRandom,
      RandomGenerator ivRandom,
      Output output) {
    return new ExpresslaneSession(true, settings, keyRandom, ivRandom, output);
  }

  // ---- negotiation ----

  /**
   * The connection went Online. {@code eligible} is whether Expresslane is possible on it at all
   * (UDP and protocol version 1.3 or later); if not, the session stays {@link
   * ExpresslaneState#DISABLED} and only acknowledges. A client announces its key now.
   */
  public void online(long nowNanos, boolean eligible) {
    online = true;
    if (!eligible) {
      state = ExpresslaneState.DISABLED;
      return;
    }
    rotateIfDue(nowNanos);
  }

  /**
   * A config frame from the peer (only while Online; the connection treats one before that as a
   * state error, as Lightway does).
   */
  public void onConfig(ExpresslaneConfig config, long nowNanos) {
    if (packetsSent == 0) {
      version = negotiate(config.version());
    }
    if (config.ack()) {
      onAcknowledgement(config);
      return;
    }
    if (state == ExpresslaneState.DEGRADED) {
      // A degraded side must not be drawn back in; no ack, so the peer gives up too.
      return;
    }
    if (state == ExpresslaneState.DISABLED) {
      // Lightway's quirk (§3.11): acknowledge without taking part, so the peer stops resending
      // and stays on (D)TLS because no key ever comes back.
      output.sendConfig(acknowledgementOf(config));
      return;
    }
    if (state == ExpresslaneState.WAITING_FOR_CLIENT) {
      state = ExpresslaneState.INACTIVE;
    }
    if (config.enabled() && !PacketKey.isNoKey(config.key())) {
      peerStopped = false;
      installPeerKey(config.key());
      if (hasKeys()) {
        state = ExpresslaneState.ACTIVE;
      }
    } else {
      // The peer stops (a degrade notice, or an all-zero key): back to (D)TLS, and no new
      // announcements of ours until the peer announces again.
      peerStopped = true;
      if (currentPeer != null) {
        retire(previousPeer);
        previousPeer = currentPeer;
        currentPeer = null;
      }
      state = ExpresslaneState.INACTIVE;
    }
    output.sendConfig(acknowledgementOf(config));
    rotateIfDue(nowNanos);
  }

  private void onAcknowledgement(ExpresslaneConfig ack) {
    if (ack.counter() != configCounter || (nextSelf == null && !nextSelfIsNoKey)) {
      return; // an old or duplicated acknowledgement
    }
    retire(currentSelf);
    currentSelf = nextSelf;
    nextSelf = null;
    nextSelfIsNoKey = false;
    unacknowledged = null;
    retransmissions = 0;
    retransmitAt = Long.MAX_VALUE;
    if (state != ExpresslaneState.DEGRADED && state != ExpresslaneState.DISABLED && hasKeys()) {
      state = ExpresslaneState.ACTIVE;
    }
  }

  private ExpresslaneConfig acknowledgementOf(ExpresslaneConfig config) {
    return new ExpresslaneConfig(
        version == ExpresslaneVersion.UNKNOWN ? settings.maxVersion() : version,
        config.enabled(),
        true,
        config.counter(),
        config.key());
  }

  private ExpresslaneVersion negotiate(ExpresslaneVersion peer) {
    if (peer == ExpresslaneVersion.UNKNOWN) {
      return settings.maxVersion();
    }
    return peer.code() < settings.maxVersion().code() ? peer : settings.maxVersion();
  }

  private void installPeerKey(byte[] key) {
    if (currentPeer != null && currentPeer.is(key)) {
      return; // a retransmission whose ack was lost: keep the grace key we have
    }
    retire(previousPeer);
    previousPeer = currentPeer;
    currentPeer = new PacketKey(key);
  }

  private boolean takingPart() {
    return online
        && state != ExpresslaneState.DISABLED
        && state != ExpresslaneState.WAITING_FOR_CLIENT
        && state != ExpresslaneState.DEGRADED
        && !peerStopped;
  }

  private void rotateIfDue(long nowNanos) {
    if (!takingPart()) {
      return;
    }
    if (rotatedOnce && nowNanos - lastRotationNanos <= rotationNanos) {
      return;
    }
    byte[] key = new byte[ExpresslaneConfig.KEY_BYTES];
    do {
      keyRandom.nextBytes(key);
    } while (PacketKey.isNoKey(key));
    retire(nextSelf);
    nextSelf = new PacketKey(key);
    nextSelfIsNoKey = false;
    rotatedOnce = true;
    lastRotationNanos = nowNanos;
    announce(new ExpresslaneConfig(outgoingVersion(), true, false, ++configCounter, key), nowNanos);
  }

  private ExpresslaneVersion outgoingVersion() {
    return version == ExpresslaneVersion.UNKNOWN ? settings.maxVersion() : version;
  }

  private void announce(ExpresslaneConfig config, long nowNanos) {
    unacknowledged = config;
    retransmissions = 0;
    retransmitAt = nowNanos + RETRANSMIT_BASE_NANOS;
    output.sendConfig(config);
  }

  /** When {@link #onTimer} next has work: a retransmission, or {@link Long#MAX_VALUE}. */
  public long nextDeadlineNanos() {
    return retransmitAt;
  }

  /** Retransmits an unacknowledged config, or gives up on it after the last retry. */
  public void onTimer(long nowNanos) {
    if (unacknowledged == null || nowNanos - retransmitAt < 0) {
      return;
    }
    if (retransmissions >= MAX_RETRANSMISSIONS) {
      unacknowledged = null;
      retransmitAt = Long.MAX_VALUE;
      if (state != ExpresslaneState.DEGRADED) {
        // Back to (D)TLS; the next outgoing inside packet announces afresh.
        state = ExpresslaneState.INACTIVE;
        rotatedOnce = false;
      }
      return;
    }
    retransmissions++;
    retransmitAt = nowNanos + RETRANSMIT_BASE_NANOS * (1 + retransmissions);
    output.sendConfig(unacknowledged);
  }

  /**
   * Stops Expresslane for the rest of the session and tells the peer (E=0, all-zero key). Lightway
   * does this when the keepalive statistics show heavy loss; see {@link #onKeepaliveStats}.
   */
  public void degrade(long nowNanos) {
    if (state == ExpresslaneState.DEGRADED || state == ExpresslaneState.DISABLED) {
      return;
    }
    state = ExpresslaneState.DEGRADED;
    retire(nextSelf);
    nextSelf = null;
    nextSelfIsNoKey = true;
    announce(
        new ExpresslaneConfig(
            outgoingVersion(),
            false,
            false,
            ++configCounter,
            new byte[ExpresslaneConfig.KEY_BYTES]),
        nowNanos);
  }

  // ---- data ----

  /**
   * Call before each outgoing inside packet: rotates the send key when due (an announcement, not a
   * switch) and answers whether this packet goes out by Expresslane ({@link #seal}) or over (D)TLS.
   * Allocates nothing unless a rotation is due.
   */
  public boolean prepareSend(long nowNanos) {
    rotateIfDue(nowNanos);
    return ready();
  }

  /** Whether inside packets go out by Expresslane now. */
  public boolean ready() {
    return state == ExpresslaneState.ACTIVE && hasKeys();
  }

  private boolean hasKeys() {
    return currentSelf != null && currentPeer != null;
  }

  /**
   * Seals {@code inside}'s remaining bytes (consumed) as an Expresslane packet at {@code out}'s
   * position: everything after the 16-byte outer header, whose Expresslane flag the caller sets.
   *
   * @param sessionId the session id of the outer header this packet goes out with (a server's
   *     pending id during a rotation)
   * @return false, counted as {@code expresslane_encrypt_no_key}, if there is no send key yet; then
   *     neither buffer has moved and the packet can go over (D)TLS instead
   * @throws IllegalArgumentException if the inside packet exceeds 65535 bytes
   * @throws BufferOverflowException if {@code out} lacks room for 40 bytes plus the packet
   */
  public boolean seal(long sessionId, ByteBuffer inside, boolean encoded, ByteBuffer out) {
    int length = inside.remaining();
    if (length > MAX_PLAINTEXT) {
      throw new IllegalArgumentException("an Expresslane packet carries at most 65535 bytes");
    }
    if (out.remaining() < HEADER_SIZE + length) {
      throw new BufferOverflowException();
    }
    if (currentSelf == null || version == ExpresslaneVersion.UNKNOWN) {
      encryptNoKey++;
      return false;
    }
    ensureScratch(length);
    long counter = packetsSent + 1;
    int flags = encoded ? FLAG_ENCODED : 0;
    ivRandom.nextBytes(iv);
    int aadLength = fillAad(sessionId, counter, flags);
    inside.get(work, 0, length);
    currentSelf.seal(iv, aad, aadLength, work, length);

    int p = out.position();
    putLong(out, p, counter);
    out.put(p + 8, iv);
    out.put(p + 20, work, length, PacketKey.TAG_SIZE);
    putShort(out, p + 36, length);
    putShort(out, p + 38, flags);
    out.put(p + HEADER_SIZE, work, 0, length);
    out.position(p + HEADER_SIZE + length);
    packetsSent = counter;
    bytesSent += length;
    return true;
  }

  /**
   * Opens the Expresslane packet at {@code in}'s position (after the outer header) into {@code
   * out}. On delivery both buffers advance; on any drop neither does, and the drop is counted.
   *
   * @param sessionId the session id from this datagram's outer header
   */
  public OpenResult open(long sessionId, ByteBuffer in, ByteBuffer out) {
    int p = in.position();
    int available = in.remaining();
    if (available < HEADER_SIZE) {
      insufficientData++;
      return OpenResult.INSUFFICIENT_DATA;
    }
    long counter = getLong(in, p);
    int length = getShort(in, p + 36);
    int flags = getShort(in, p + 38);
    if (available - HEADER_SIZE < length) {
      insufficientData++;
      return OpenResult.INSUFFICIENT_DATA;
    }
    if (!window.isFresh(counter)) {
      replayed++;
      return OpenResult.REPLAYED;
    }
    if (currentPeer == null && previousPeer == null) {
      decryptNoKey++;
      return OpenResult.NO_KEY;
    }
    if (out.remaining() < length) {
      oversized++;
      return OpenResult.OVERSIZED;
    }
    ensureScratch(length);
    in.get(p + 8, iv);
    in.get(p + HEADER_SIZE, work, 0, length);
    in.get(p + 20, work, length, PacketKey.TAG_SIZE);
    int aadLength = fillAad(sessionId, counter, flags);
    boolean authentic =
        (currentPeer != null && currentPeer.open(iv, aad, aadLength, work, length, plain))
            || (previousPeer != null && previousPeer.open(iv, aad, aadLength, work, length, plain));
    if (!authentic) {
      decryptFailed++;
      return OpenResult.DECRYPT_FAILED;
    }
    window.accept(counter);
    out.put(plain, 0, length);
    in.position(p + HEADER_SIZE + length);
    packetsReceived++;
    bytesReceived += length;
    return (flags & FLAG_ENCODED) != 0 ? OpenResult.INSIDE_ENCODED : OpenResult.INSIDE;
  }

  private int fillAad(long sessionId, long counter, int flags) {
    putLong(aad, 0, sessionId);
    putLong(aad, 8, counter);
    if (version == ExpresslaneVersion.V1) {
      return 16;
    }
    aad[16] = (byte) (flags >>> 8);
    aad[17] = (byte) flags;
    return 18;
  }

  private void ensureScratch(int length) {
    if (plain.length < length) {
      plain = new byte[length];
      work = new byte[length + PacketKey.TAG_SIZE];
    }
  }

  // ---- keepalive statistics ----

  /**
   * The payload for a keepalive Ping or its Pong: 16 bytes of this side's cumulative counters while
   * Expresslane is in use, else empty.
   */
  public byte[] keepalivePayload() {
    return ready() ? new ExpresslaneStats(packetsSent, packetsReceived).toPayload() : new byte[0];
  }

  /**
   * The payload of a keepalive Pong from the peer: its cumulative counters, compared window by
   * window with ours. A window that sent at least 10 packets and lost more than half adds a strike
   * in that direction, a good one takes one away; three strikes, or three windows without
   * statistics, and Expresslane is {@linkplain #degrade degraded}.
   */
  public void onKeepaliveStats(byte[] payload, long nowNanos) {
    if (!ready()) {
      return;
    }
    Optional<ExpresslaneStats> reading = ExpresslaneStats.fromPayload(payload);
    if (reading.isEmpty()) {
      if (++windowsWithoutStats >= HEALTH_LIMIT) {
        degrade(nowNanos);
      }
      return;
    }
    windowsWithoutStats = 0;
    ExpresslaneStats peer = reading.get();
    long peerSentDelta = peer.packetsSent() - lastPeerSent;
    long peerReceivedDelta = peer.packetsReceived() - lastPeerReceived;
    long ownSentDelta = packetsSent - lastOwnSent;
    long ownReceivedDelta = packetsReceived - lastOwnReceived;
    lastPeerSent = peer.packetsSent();
    lastPeerReceived = peer.packetsReceived();
    lastOwnSent = packetsSent;
    lastOwnReceived = packetsReceived;
    inboundStrikes = strikes(inboundStrikes, peerSentDelta, ownReceivedDelta);
    outboundStrikes = strikes(outboundStrikes, ownSentDelta, peerReceivedDelta);
    if (inboundStrikes >= HEALTH_LIMIT || outboundStrikes >= HEALTH_LIMIT) {
      degrade(nowNanos);
    }
  }

  private static int strikes(int strikes, long sent, long received) {
    boolean lossy =
        Long.compareUnsigned(sent, HEALTH_MIN_PACKETS) >= 0
            && (double) (sent - received) / sent > 0.5;
    return lossy ? strikes + 1 : Math.max(0, strikes - 1);
  }

  // ---- state ----

  public ExpresslaneState state() {
    return state;
  }

  /** The wire version in force: negotiated from the peer's configs, fixed once data was sent. */
  public ExpresslaneVersion version() {
    return version;
  }

  public boolean isServer() {
    return server;
  }

  public ExpresslaneCounters counters() {
    return new ExpresslaneCounters(
        packetsSent,
        bytesSent,
        packetsReceived,
        bytesReceived,
        encryptNoKey,
        decryptNoKey,
        decryptFailed,
        replayed,
        insufficientData,
        oversized);
  }

  private static void retire(PacketKey key) {
    if (key != null) {
      key.wipe();
    }
  }

  private static void putLong(ByteBuffer b, int index, long v) {
    for (int i = 0; i < 8; i++) {
      b.put(index + i, (byte) (v >>> (56 - 8 * i)));
    }
  }

  private static void putLong(byte[] b, int index, long v) {
    for (int i = 0; i < 8; i++) {
      b[index + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static void putShort(ByteBuffer b, int index, int v) {
    b.put(index, (byte) (v >>> 8));
    b.put(index + 1, (byte) v);
  }

  private static long getLong(ByteBuffer b, int index) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b.get(index + i) & 0xff);
    }
    return v;
  }

  private static int getShort(ByteBuffer b, int index) {
    return ((b.get(index) & 0xff) << 8) | (b.get(index + 1) & 0xff);
  }
}
