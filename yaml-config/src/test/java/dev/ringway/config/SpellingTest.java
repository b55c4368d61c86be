package dev.ringway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {

  private static final List<String> IO_TUN = List.of("rxSlots", "blocking");

  @Test
  void aTranspositionCountsAsOneEdit() {
    assertThat(Spelling.distance("rxSlost", "rxSlots")).isEqualTo(1);
    assertThat(Spelling.closest("rxSlost", IO_TUN)).isEqualTo("rxSlots");
  }

  @Test
  void wrongCaseAlwaysFindsItsKey() {
    assertThat(Spelling.closest("RXSLOTS", IO_TUN)).isEqualTo("rxSlots");
  }

  @Test
  void aWordFarFromEveryCandidateGetsNoSuggestion() {
    assertThat(Spelling.closest("threads", IO_TUN)).isNull();
  }
}
