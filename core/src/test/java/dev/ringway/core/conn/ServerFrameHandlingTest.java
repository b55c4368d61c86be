package dev.ringway.core.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.auth.AuthResult;
import dev.ringway.core.ip.IpPool;
import dev.ringway.core.ip.Ipv4Cidr;
import dev.ringway.core.tls.TlsSession;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.wire.AuthFailure;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.core.wire.AuthSuccessWithConfigV4;
import dev.ringway.core.wire.EncodingRequest;
import dev.ringway.core.wire.ExpresslaneConfig;
import dev.ringway.core.wire.ExpresslaneVersion;
import dev.ringway.core.wire.Frame;
import dev.ringway.core.wire.FrameCodec;
import dev.ringway.core.wire.Goodbye;
import dev.ringway.core.wire.Ping;
import dev.ringway.core.wire.Pong;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.ServerConfig;
import dev.ringway.core.wire.SessionId;
import dev.ringway.core.wire.WireException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a server connection does with each frame (§3.3), seen by a hand-driven TLS client over TCP
 * that sends whatever frames the test likes and decodes every frame the server answers with.
 */
class ServerFrameHandlingTest {
  final AtomicLong clock = new AtomicLong(1);
  final IpPool pool =
      new IpPool(Ipv4Cidr.parse("10.125.0.0/24"), List.of(), new SplittableRandom(1));
  final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
  final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
  final ByteBuffer clientPlaintext = ByteBuffer.allocate(1 << 16);
  final List<Frame> received = new ArrayList<>();
  final List<AuthRequest> authRequests = new ArrayList<>();
  DisconnectReason serverDisconnect;
  Connection server;
  TlsSession client;

  final TlsSession.Output clientOutput =
      new TlsSession.Output() {
        @Override
        public void outsideBytes(ByteBuffer bytes) {
          toServer.add(Tunnel.copy(bytes));
        }

        @Override
        public void plaintext(ByteBuffer plaintext) {
          clientPlaintext.put(plaintext);
        }
      };

  final Connection.Host serverHost =
      new Connection.Host() {
        @Override
        public void sendOutside(Connection connection, ByteBuffer bytes) {
          toClient.add(Tunnel.copy(bytes));
        }

        @Override
        public void deliverInside(Connection c, ByteBuffer buffer, int offset, int length) {}

        @Override
        public void runDelegated(Connection connection, Runnable task) {
          task.run();
          connection.resumeTls();
        }

        @Override
        public void authenticate(Connection connection, AuthRequest request) {
          authRequests.add(request);
        }

        @Override
        public void disconnected(Connection connection, DisconnectReason reason) {
          serverDisconnect = reason;
        }
      };

  @BeforeEach
  void linkUp() throws Exception {
    server =
        Connection.server(
            Tunnel.SERVER_TLS.newSession(Transport.STREAM, clock::get),
            ServerSettings.defaults(),
            pool,
            ProtocolVersion.V1_1,
            SessionId.of(0x2f66),
            ConnectionTimeouts.defaults(),
            clock::get,
            serverHost);
    client = Tunnel.CLIENT_TLS.newSession(Transport.STREAM, clock::get);
    client.start(clientOutput);
    pump();
    assertThat(server.state()).isEqualTo(ConnectionState.LINK_UP);
  }

  void pump() throws SSLException {
    for (int i = 0; i < 100 && !(toServer.isEmpty() && toClient.isEmpty()); i++) {
      while (!toServer.isEmpty()) {
        server.receiveStream(ByteBuffer.wrap(toServer.poll()));
      }
      while (!toClient.isEmpty()) {
        client.receive(ByteBuffer.wrap(toClient.poll()), clientOutput);
        for (Runnable task = client.takeDelegatedTask(); task != null; ) {
          task.run();
          client.resume(clientOutput);
          task = client.takeDelegatedTask();
        }
      }
    }
    clientPlaintext.flip();
    try {
      while (clientPlaintext.hasRemaining()) {
        received.add(FrameCodec.decode(clientPlaintext));
      }
    } catch (WireException e) {
      throw new AssertionError("server sent an undecodable frame", e);
    } finally {
      clientPlaintext.compact();
    }
  }

  void send(Frame frame) throws SSLException {
    ByteBuffer bytes = ByteBuffer.allocate(FrameCodec.encodedLength(frame));
    FrameCodec.encode(frame, bytes);
    sendBytes(bytes.array());
  }

  void sendBytes(byte[] bytes) throws SSLException {
    client.send(ByteBuffer.wrap(bytes), clientOutput);
    pump();
  }

  void goOnline() throws SSLException {
    send(new AuthRequest.UserPass("alice", "secret"));
    server.completeAuth(new AuthResult.Granted("alice"));
    pump();
    assertThat(server.state()).isEqualTo(ConnectionState.ONLINE);
    received.clear();
  }

  @Test
  void authSuccessCarriesTheStaticAddressesTheMtuAndTheSession() throws Exception {
    send(new AuthRequest.UserPass("alice", "secret"));
    assertThat(authRequests).containsExactly(new AuthRequest.UserPass("alice", "secret"));

    server.completeAuth(new AuthResult.Granted("alice"));
    pump();

    assertThat(received)
        .containsExactly(
            new AuthSuccessWithConfigV4(
                "10.125.0.5", "10.125.0.6", "10.125.0.1", "1350", SessionId.of(0x2f66)));
  }

  @Test
  void deniedCredentialsGetAuthFailureThenGoodbye() throws Exception {
    send(new AuthRequest.Token("not a jwt"));

    server.completeAuth(AuthResult.denied(AuthResult.Reason.MALFORMED_TOKEN));
    pump();

    assertThat(received).containsExactly(AuthFailure.INSTANCE, Goodbye.INSTANCE);
    assertThat(serverDisconnect).isEqualTo(DisconnectReason.ACCESS_DENIED);
    assertThat(client.peerClosed()).as("close_notify followed").isTrue();
  }

  @Test
  void noInsideAddressIsTakenUntilTheCredentialsAreGranted() throws Exception {
    send(new AuthRequest.UserPass("mallory", "guess"));
    assertThat(pool.allocatedCount()).as("while the check runs").isZero();

    server.completeAuth(AuthResult.denied(AuthResult.Reason.WRONG_PASSWORD));
    pump();

    assertThat(pool.allocatedCount()).as("after a denial").isZero();
  }

  @Test
  void reauthenticationWhileOnlineIsAnsweredAgain() throws Exception {
    goOnline();

    send(new AuthRequest.UserPass("alice", "secret"));
    server.completeAuth(new AuthResult.Granted("alice"));
    pump();

    assertThat(received).hasSize(1).first().isInstanceOf(AuthSuccessWithConfigV4.class);
    assertThat(pool.allocatedCount()).as("the same address is kept").isEqualTo(1);
  }

  @Test
  void pingIsAnsweredWithAPongOfTheSameIdAndNoPayload() throws Exception {
    goOnline();

    send(new Ping(0));
    send(new Ping(0x1234, new byte[1200])); // a PMTUD probe: padding is not echoed

    assertThat(received).containsExactly(new Pong(0), new Pong(0x1234));
  }

  @Test
  void anExpresslaneAnnouncementIsAcknowledgedButNotAnswered() throws Exception {
    goOnline();
    byte[] key = new byte[32];
    key[0] = 7;

    send(new ExpresslaneConfig(ExpresslaneVersion.UNKNOWN, true, false, 5, key));
    send(new ExpresslaneConfig(ExpresslaneVersion.V1, true, true, 6, key)); // an ack: no reply

    assertThat(received)
        .containsExactly(new ExpresslaneConfig(ExpresslaneVersion.V2, true, true, 5, key));
  }

  @Test
  void encodingRequestsAndServerConfigAreIgnored() throws Exception {
    goOnline();

    send(new EncodingRequest(1, true));
    send(new ServerConfig(new byte[] {1, 2, 3}));

    assertThat(received).isEmpty();
    assertThat(server.state()).isEqualTo(ConnectionState.ONLINE);
  }

  @Test
  void aServerReceivingAuthSuccessDisconnectsWithInvalidMode() throws Exception {
    send(new AuthSuccessWithConfigV4("1.1.1.1", "2.2.2.2", "3.3.3.3", "1500", SessionId.of(1)));

    assertThat(serverDisconnect).isEqualTo(DisconnectReason.INVALID_MODE);
  }

  @Test
  void overTcpAPingBeforeAuthenticationIsFatal() throws Exception {
    send(new Ping(0));

    assertThat(serverDisconnect).isEqualTo(DisconnectReason.INVALID_STATE);
  }

  @Test
  void overTcpAnUnknownFrameTypeIsFatal() throws Exception {
    goOnline();

    sendBytes(new byte[] {0x7f});

    assertThat(serverDisconnect).isEqualTo(DisconnectReason.WIRE_ERROR);
  }

  @Test
  void overTcpAFrameSplitAcrossRecordsWaitsForItsRest() throws Exception {
    goOnline();

    sendBytes(new byte[] {0x02, 0x00}); // the first half of Ping{id 7}
    assertThat(received).isEmpty();
    sendBytes(new byte[] {0x07, 0x00, 0x00});

    assertThat(received).containsExactly(new Pong(7));
  }

  @Test
  void encodedDataWithoutACodecIsFatal() throws Exception {
    goOnline();

    sendBytes(new byte[] {0x10, 0x00, 0x01, 0x45});

    assertThat(serverDisconnect).isEqualTo(DisconnectReason.PACKET_CODEC_DOES_NOT_EXIST);
  }

  @Test
  void customCallbackIsDeniedWithoutAskingTheHost() throws Exception {
    send(new AuthRequest.CustomCallback(new byte[] {9}));

    assertThat(authRequests).isEmpty();
    assertThat(received).containsExactly(AuthFailure.INSTANCE, Goodbye.INSTANCE);
  }

  @Test
  void aGoodbyeEndsTheConnectionAndReleasesItsAddress() throws Exception {
    goOnline();
    assertThat(pool.allocatedCount()).isEqualTo(1);

    send(Goodbye.INSTANCE);

    assertThat(serverDisconnect).isEqualTo(DisconnectReason.GOODBYE);
    assertThat(pool.allocatedCount()).isZero();
  }
}
