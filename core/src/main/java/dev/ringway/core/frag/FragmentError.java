package dev.ringway.core.frag;

/** Why a fragment was refused; the whole partial packet with that id is then discarded. */
public enum FragmentError {
  /** The fragment carried no bytes. */
  EMPTY,
  /** The fragment overlaps bytes already received. */
  OVERLAPPING,
  /** A fragment without MF ends exactly where received bytes begin. */
  LAST_FRAGMENT_BEFORE_CURRENT_TAIL,
  /** Bytes would follow the fragment that ended the packet. */
  AFTER_LAST,
  /** The packet would exceed the connection's byte or fragment bound on its own. */
  TOO_LARGE
}
