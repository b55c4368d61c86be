package dev.ringway.uring;

import java.util.EnumSet;
import java.util.Set;

/** Features the kernel reports in {@code io_uring_params.features} ({@code IORING_FEAT_*}). */
public enum RingFeature {
  SINGLE_MMAP,
  NODROP,
  SUBMIT_STABLE,
  RW_CUR_POS,
  CUR_PERSONALITY,
  FAST_POLL,
  POLL_32BITS,
  SQPOLL_NONFIXED,
  EXT_ARG,
  NATIVE_WORKERS,
  RSRC_TAGS,
  CQE_SKIP,
  LINKED_FILE,
  REG_REG_RING,
  RECVSEND_BUNDLE,
  MIN_TIMEOUT,
  RW_ATTR,
  NO_IOWAIT;

  /** The feature's bit. */
  public int bit() {
    return 1 << ordinal();
  }

  static Set<RingFeature> of(int bits) {
    EnumSet<RingFeature> set = EnumSet.noneOf(RingFeature.class);
    for (RingFeature feature : values()) {
      if ((bits & feature.bit()) != 0) {
        set.add(feature);
      }
    }
    return set;
  }
}
