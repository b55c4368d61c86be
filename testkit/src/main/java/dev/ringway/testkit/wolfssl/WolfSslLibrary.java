package dev.ringway.testkit.wolfssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One loaded {@code libwolfssl.so} and the handles of the functions {@link DtlsClient} calls.
 * Signatures and constants come from the installed headers ({@code wolfssl/ssl.h}, {@code
 * wolfssl/wolfio.h}, {@code wolfssl/error-ssl.h}) of the build {@link dev.ringway.testkit.WolfSsl}
 * makes. A function the build left out (it lacks {@code --enable-sni} and {@code
 * --enable-dtls-mtu}) is absent here rather than a link error at load.
 */
final class WolfSslLibrary {
  // ssl.h
  static final int SUCCESS = 1;
  static final int ERROR_WANT_READ = 2;
  static final int ERROR_WANT_WRITE = 3;
  static final int ERROR_ZERO_RETURN = 6;
  static final int VERIFY_PEER = 1;
  static final int SNI_HOST_NAME = 0;
  static final int SHUTDOWN_NOT_DONE = 2;
  // ssl.h, enum of WOLFSSL_CBIO_ERR_*: what an I/O callback returns instead of a byte count.
  static final int CBIO_ERR_GENERAL = -1;
  static final int CBIO_ERR_WANT_READ = -2;
  // WOLFSSL_MAX_ERROR_SZ in wolfssl/wolfcrypt/types.h
  private static final int MAX_ERROR_SZ = 80;

  /** {@code int (*CallbackIORecv)(WOLFSSL*, char*, int, void*)}, and the same for send. */
  static final FunctionDescriptor IO_CALLBACK =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);

  private static final Map<Path, WolfSslLibrary> LOADED = new HashMap<>();

  private final Linker linker = Linker.nativeLinker();
  private final SymbolLookup symbols;

  final MethodHandle init;
  final Map<DtlsVersion, MethodHandle> methods = new HashMap<>();
  final MethodHandle ctxNew;
  final MethodHandle ctxFree;
  final MethodHandle ctxLoadVerifyLocations;
  final MethodHandle ctxSetCipherList;
  final MethodHandle ctxSetVerify;
  final MethodHandle ctxSetIoRecv;
  final MethodHandle ctxSetIoSend;
  final MethodHandle sslNew;
  final MethodHandle sslFree;
  final MethodHandle setIoReadCtx;
  final MethodHandle setIoWriteCtx;
  final Optional<MethodHandle> dtlsSetMtu;
  final Optional<MethodHandle> useSni;
  final MethodHandle checkDomainName;
  final MethodHandle dtlsSetUsingNonblock;
  final MethodHandle connect;
  final MethodHandle write;
  final MethodHandle read;
  final MethodHandle getError;
  final MethodHandle dtlsGotTimeout;
  final MethodHandle dtlsGetCurrentTimeout;
  final MethodHandle dtls13UseQuickTimeout;
  final MethodHandle updateKeys;
  final MethodHandle keyUpdateResponse;
  final MethodHandle getVersion;
  final MethodHandle getCipherName;
  final MethodHandle getCurveName;
  final MethodHandle shutdown;
  final MethodHandle errorStringN;

  private WolfSslLibrary(Path library) {
    symbols = SymbolLookup.libraryLookup(library, Arena.global());
    init = bind("wolfSSL_Init", FunctionDescriptor.of(JAVA_INT));
    for (DtlsVersion version : DtlsVersion.values()) {
      methods.put(version, bind(version.method(), FunctionDescriptor.of(ADDRESS)));
    }
    ctxNew = bind("wolfSSL_CTX_new", FunctionDescriptor.of(ADDRESS, ADDRESS));
    ctxFree = bind("wolfSSL_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
    ctxLoadVerifyLocations =
        bind(
            "wolfSSL_CTX_load_verify_locations",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    ctxSetCipherList =
        bind("wolfSSL_CTX_set_cipher_list", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    ctxSetVerify =
        bind("wolfSSL_CTX_set_verify", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS));
    ctxSetIoRecv = bind("wolfSSL_CTX_SetIORecv", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    ctxSetIoSend = bind("wolfSSL_CTX_SetIOSend", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    sslNew = bind("wolfSSL_new", FunctionDescriptor.of(ADDRESS, ADDRESS));
    sslFree = bind("wolfSSL_free", FunctionDescriptor.ofVoid(ADDRESS));
    setIoReadCtx = bind("wolfSSL_SetIOReadCtx", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    setIoWriteCtx = bind("wolfSSL_SetIOWriteCtx", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    // int wolfSSL_dtls_set_mtu(WOLFSSL*, unsigned short)
    dtlsSetMtu =
        optional("wolfSSL_dtls_set_mtu", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    // int wolfSSL_UseSNI(WOLFSSL*, unsigned char type, const void* data, unsigned short size)
    useSni =
        optional(
            "wolfSSL_UseSNI",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, ADDRESS, JAVA_SHORT));
    checkDomainName =
        bind("wolfSSL_check_domain_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    dtlsSetUsingNonblock =
        bind("wolfSSL_dtls_set_using_nonblock", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
    connect = bind("wolfSSL_connect", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    write = bind("wolfSSL_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    read = bind("wolfSSL_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    getError = bind("wolfSSL_get_error", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    dtlsGotTimeout = bind("wolfSSL_dtls_got_timeout", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    dtlsGetCurrentTimeout =
        bind("wolfSSL_dtls_get_current_timeout", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    dtls13UseQuickTimeout =
        bind("wolfSSL_dtls13_use_quick_timeout", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    updateKeys = bind("wolfSSL_update_keys", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    keyUpdateResponse =
        bind("wolfSSL_key_update_response", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    getVersion = bind("wolfSSL_get_version", FunctionDescriptor.of(ADDRESS, ADDRESS));
    getCipherName = bind("wolfSSL_get_cipher_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    getCurveName = bind("wolfSSL_get_curve_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    shutdown = bind("wolfSSL_shutdown", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // void wolfSSL_ERR_error_string_n(unsigned long e, char* buf, unsigned long sz)
    errorStringN =
        bind(
            "wolfSSL_ERR_error_string_n", FunctionDescriptor.ofVoid(JAVA_LONG, ADDRESS, JAVA_LONG));
  }

  /** The library at {@code path}, loaded and initialised ({@code wolfSSL_Init}) once. */
  static synchronized WolfSslLibrary load(Path path) {
    WolfSslLibrary library = LOADED.get(path);
    if (library == null) {
      library = new WolfSslLibrary(path);
      int result = (int) invoke(library.init);
      if (result != SUCCESS) {
        throw new WolfSslException("wolfSSL_Init", result, library.errorString(result), null);
      }
      LOADED.put(path, library);
    }
    return library;
  }

  /** An upcall stub that lives as long as the process: set once on each context. */
  MemorySegment upcall(MethodHandle target) {
    return linker.upcallStub(target, IO_CALLBACK, Arena.global());
  }

  /** wolfSSL's text for an error code ({@code wolfSSL_ERR_error_string_n}). */
  String errorString(int code) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(MAX_ERROR_SZ);
      invoke(errorStringN, (long) code, buffer, (long) MAX_ERROR_SZ);
      return buffer.getString(0);
    }
  }

  /**
   * Text for what a configuration call returned: the result codes of {@code ssl.h} by name (wolfSSL
   * has no error string for them), anything else by wolfSSL's error string.
   */
  String resultString(int result) {
    return switch (result) {
      case 0 -> "WOLFSSL_FAILURE";
      case -2 -> "WOLFSSL_UNKNOWN";
      case -3 -> "WOLFSSL_NOT_IMPLEMENTED";
      case -4 -> "WOLFSSL_BAD_FILE (missing or unreadable)";
      case -5 -> "WOLFSSL_BAD_FILETYPE";
      case -6 -> "WOLFSSL_BAD_PATH";
      case -7 -> "WOLFSSL_BAD_STAT";
      case -8 -> "WOLFSSL_BAD_CERTTYPE";
      default -> errorString(result);
    };
  }

  /** A C string wolfSSL owns (static text), read as Java text; empty for NULL. */
  static String text(MemorySegment cString) {
    return cString.equals(MemorySegment.NULL) ? "" : cString.reinterpret(256).getString(0);
  }

  static Object invoke(MethodHandle handle, Object... arguments) {
    try {
      return handle.invokeWithArguments(arguments);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("calling wolfSSL: " + t, t);
    }
  }

  private MethodHandle bind(String name, FunctionDescriptor descriptor) {
    return optional(name, descriptor)
        .orElseThrow(() -> new IllegalStateException("libwolfssl lacks " + name));
  }

  private Optional<MethodHandle> optional(String name, FunctionDescriptor descriptor) {
    return symbols.find(name).map(address -> linker.downcallHandle(address, descriptor));
  }
}
