package io.minispod;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class Sha256Test {

  @Test
  void hex_knownVector_matchesFips180() {
    assertThat(Sha256.hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void fingerprint_partsAreSeparated_soShiftedBoundariesDiffer() {
    assertThat(Sha256.fingerprint("ab", "c")).isNotEqualTo(Sha256.fingerprint("a", "bc"));
    assertThat(Sha256.fingerprint("ab", "c")).isEqualTo(Sha256.hex("ab\u001fc\u001f"));
  }
}
