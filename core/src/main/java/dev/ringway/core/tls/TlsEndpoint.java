package dev.ringway.core.tls;

import dev.ringway.core.dtls.CipherSuite;
import dev.ringway.core.dtls.DtlsClientConfig;
import dev.ringway.core.dtls.DtlsServerConfig;
import dev.ringway.core.dtls.DtlsSession;
import dev.ringway.core.dtls.DtlsStats;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One side's (D)TLS configuration — credentials or trust, suites, groups — from which a channel per
 * connection is made: TLS 1.3 over the JDK with AES-256-GCM and ChaCha20-Poly1305 for TCP, and our
 * own DTLS 1.3 ({@link DtlsFront} on a server, {@link #newChannel} on a client) for UDP, in
 * datagrams of at most 1456 bytes so that a record plus the 16-byte Lightway header fits a
 * 1500-byte IP MTU.
 */
public final class TlsEndpoint {
  /** Largest DTLS datagram payload: 1500 − IPv4 20 − UDP 8 − Lightway header 16. */
  public static final int MAX_DTLS_PACKET = 1456;

  /**
   * Largest plaintext one DTLS record may carry in a {@link #MAX_DTLS_PACKET}-byte datagram (1456 −
   * 37 bytes of record header and AEAD overhead), the digest's {@code max_dtls_mtu}.
   */
  public static final int MAX_DTLS_PLAINTEXT = 1419;

  private static final String[] TLS13_SUITES = {
    "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"
  };
  private static final String SESSION_TICKETS_PROPERTY =
      "jdk.tls.server.enableSessionTicketExtension";
  private static final String[] GROUPS = {"secp256r1", "x25519"};

  static {
    // Lightway never resumes sessions, so servers issue no tickets. Read once by the JDK when TLS
    // is first used; an operator's explicit value wins.
    if (System.getProperty(SESSION_TICKETS_PROPERTY) == null) {
      System.setProperty(SESSION_TICKETS_PROPERTY, "false");
    }
  }

  private final boolean server;
  private final List<X509Certificate> chain;
  private final PrivateKey key;
  private final TrustPolicy trust;
  private final Cipher onlyCipher;
  private final String serverName;
  private final SSLContext stream;

  private TlsEndpoint(
      boolean server,
      KeyManager[] keys,
      TrustManager[] trust,
      List<X509Certificate> chain,
      PrivateKey key,
      TrustPolicy policy,
      Cipher onlyCipher,
      String serverName) {
    this.server = server;
    this.chain = chain;
    this.key = key;
    this.trust = policy;
    this.onlyCipher = onlyCipher;
    this.serverName = serverName;
    try {
      stream = SSLContext.getInstance("TLSv1.3");
      stream.init(keys, trust, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks TLSv1.3", e);
    }
  }

  /** A server presenting {@code chain} (leaf first) and proving it with {@code key}. */
  public static TlsEndpoint server(List<X509Certificate> chain, PrivateKey key) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a server needs its certificate");
    }
    requireMatchingKey(chain.getFirst(), key);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return new TlsEndpoint(
          true, factory.getKeyManagers(), null, List.copyOf(chain), key, null, null, null);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException(
          "unusable server key or certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a key that is not the certificate's, which the JDK would otherwise accept here and only
   * fail on during every handshake: signs a probe with the key, verifies with the certificate.
   */
  private static void requireMatchingKey(X509Certificate certificate, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default ->
              throw new IllegalArgumentException(
                  "server keys must be RSA or EC, found " + key.getAlgorithm());
        };
    byte[] probe = "ringway key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException(
            "the server key does not belong to the certificate "
                + certificate.getSubjectX500Principal().getName());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the server key does not belong to the certificate "
              + certificate.getSubjectX500Principal().getName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** A server whose certificate chain and private key are in PEM files. */
  public static TlsEndpoint server(Path certificateFile, Path keyFile) throws PemException {
    return server(Pem.certificates(certificateFile), Pem.privateKey(keyFile));
  }

  /** A client checking the server's certificate as {@code trust} says, offering both ciphers. */
  public static TlsEndpoint client(TrustPolicy trust) {
    return client(trust, null, null);
  }

  /**
   * A client offering only {@code cipher} (null: both), and, when {@code serverName} is not null,
   * sending it as SNI and requiring the server certificate to be issued for that name.
   */
  public static TlsEndpoint client(TrustPolicy trust, Cipher cipher, String serverName) {
    TrustManager[] managers =
        switch (trust) {
          case TrustPolicy.Insecure _ -> new TrustManager[] {new TrustEverything()};
          case TrustPolicy.CertificateAuthorities(List<X509Certificate> authorities) -> {
            try {
              KeyStore store = KeyStore.getInstance("PKCS12");
              store.load(null, null);
              for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca" + i, authorities.get(i));
              }
              TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
              factory.init(store);
              yield factory.getTrustManagers();
            } catch (GeneralSecurityException | java.io.IOException e) {
              throw new IllegalArgumentException("unusable CA certificates: " + e.getMessage(), e);
            }
          }
        };
    return new TlsEndpoint(false, null, managers, null, null, trust, cipher, serverName);
  }

  /**
   * A server's DTLS 1.3 front door over the same certificate and key, with a cookie secret drawn at
   * random here: cookies never outlive the process that issued them.
   */
  public DtlsFront dtlsFront(LongSupplier nanoClock) {
    if (!server) {
      throw new IllegalStateException("a client has no front door");
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new DtlsFront(
        DtlsServerConfig.of(chain, key, secret).withMaxDatagram(MAX_DTLS_PACKET), nanoClock);
  }

  /**
   * A channel for one connection: TLS 1.3 over the JDK for streams; for datagrams (clients only: a
   * server's come from its {@link #dtlsFront}) our DTLS 1.3, offering the one suite a {@link
   * Cipher} asks for (both when null), sending {@code serverName} as SNI and checking the
   * certificate names it. Datagram clients need CA certificates: the engine always validates.
   */
  public SecureChannel newChannel(Transport transport, LongSupplier nanoClock) {
    if (transport == Transport.STREAM) {
      return newSession(transport, nanoClock);
    }
    if (server) {
      throw new IllegalStateException("a server's DTLS channels come from its front door");
    }
    if (!(trust instanceof TrustPolicy.CertificateAuthorities(List<X509Certificate> cas))) {
      throw new IllegalArgumentException(
          "DTLS 1.3 validates the server's certificate: UDP needs tls.ca, not tls.insecure");
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate ca : cas) {
      anchors.add(new TrustAnchor(ca, null));
    }
    DtlsClientConfig config =
        DtlsClientConfig.of(anchors, serverName).withMaxDatagram(MAX_DTLS_PACKET);
    if (onlyCipher != null) {
      config =
          config.withSuites(
              List.of(
                  onlyCipher == Cipher.AES_256_GCM
                      ? CipherSuite.TLS_AES_256_GCM_SHA384
                      : CipherSuite.TLS_CHACHA20_POLY1305_SHA256));
    }
    return new DtlsChannel(DtlsSession.client(config, new DtlsStats()), true, nanoClock);
  }

  /** A new TLS 1.3 session for one TCP connection. */
  public TlsSession newSession(Transport transport) {
    return newSession(transport, System::nanoTime);
  }

  /**
   * A new TLS 1.3 session for one TCP connection ({@code nanoClock} is unused: TCP retransmits).
   * Datagrams have their own engine: {@link #newChannel}, {@link #dtlsFront}.
   */
  public TlsSession newSession(Transport transport, LongSupplier nanoClock) {
    if (transport != Transport.STREAM) {
      throw new IllegalArgumentException("the JDK's TLS is for streams; UDP runs on DTLS 1.3");
    }
    SSLEngine engine =
        serverName != null ? stream.createSSLEngine(serverName, -1) : stream.createSSLEngine();
    engine.setUseClientMode(!server);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setNamedGroups(GROUPS);
    parameters.setUseCipherSuitesOrder(true);
    if (serverName != null) {
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    parameters.setProtocols(new String[] {"TLSv1.3"});
    parameters.setCipherSuites(onlyCipher != null ? onlyCipher.tls13Suites() : TLS13_SUITES);
    engine.setSSLParameters(parameters);
    return new TlsSession(engine);
  }

  /** Accepts every certificate; what {@link TrustPolicy#insecure()} asks for. */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
