package dev.ringway.loop.uring;

/**
 * The one place that packs and unpacks a request's {@code user_data}:
 *
 * <pre>
 *  63      56 55                  32 31                              0
 * +----------+----------------------+---------------------------------+
 * |   tag    |      generation      |              index              |
 * +----------+----------------------+---------------------------------+
 * </pre>
 *
 * The tag names the source that completes the request ({@link #CONTROL}, {@link #TIMER}, or a
 * source registered with {@link EventLoop#register}); the index is the source's slot or connection;
 * the generation lets a source tell a late completion for a slot it has since recycled from one for
 * the slot's current use.
 */
public final class UserData {
  /** The loop's control eventfd read. */
  public static final int CONTROL = 0;

  /** The loop's periodic timer. */
  public static final int TIMER = 1;

  /** Cancels and timer removals whose own completion needs no handling. */
  public static final int IGNORED = 2;

  /** The first tag a source may register under. */
  public static final int FIRST_SOURCE = 8;

  /** Tags are one byte. */
  public static final int MAX_TAGS = 256;

  private static final long GENERATION_MASK = 0xff_ffffL;

  private UserData() {}

  public static long of(int tag, int generation, int index) {
    return ((long) tag << 56) | ((generation & GENERATION_MASK) << 32) | (index & 0xffff_ffffL);
  }

  public static int tag(long userData) {
    return (int) (userData >>> 56);
  }

  public static int generation(long userData) {
    return (int) ((userData >>> 32) & GENERATION_MASK);
  }

  public static int index(long userData) {
    return (int) userData;
  }
}
