package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class NamesTest {

  @Test
  void namespace_ownerId_isPrefixAndStableHashNotTheId() {
    String ns = Names.namespace("minispod-", "alice@example.com");

    assertThat(ns)
        .isEqualTo(Names.namespace("minispod-", "alice@example.com"))
        .startsWith("minispod-")
        .hasSize("minispod-".length() + 16)
        .doesNotContain("alice")
        .isNotEqualTo(Names.namespace("minispod-", "bob@example.com"));
    assertThat(Names.ownerKey("alice@example.com")).matches("[0-9a-f]{16}");
  }

  @Test
  void join_shortParts_areJoinedWithADash() {
    assertThat(Names.join("n8n-k3x9q2mt", "app-env")).isEqualTo("n8n-k3x9q2mt-app-env");
    assertThat(Names.service("n8n-k3x9q2mt", "app", true)).isEqualTo("n8n-k3x9q2mt");
    assertThat(Names.service("n8n-k3x9q2mt", "mysql", false)).isEqualTo("n8n-k3x9q2mt-mysql");
  }

  @Test
  void join_tooLong_isShortenedToAUniqueDnsLabel() {
    String base = "a".repeat(40) + "-" + "b".repeat(22);

    String data = Names.join(base, "mysql-data");
    String env = Names.join(base, "mysql-env");

    assertThat(data).hasSize(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(env).hasSize(63).isNotEqualTo(data);
    assertThat(Names.join(base, "mysql-data")).isEqualTo(data);
  }

  @Test
  void join_cutEndingInADash_dropsTheDash() {
    String base = "a".repeat(53) + "-" + "b".repeat(9);

    assertThat(Names.join(base, "app")).doesNotContain("--").hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void scratchVolume_pathBecomesAReadableDnsLabel() {
    assertThat(Names.scratchVolume("/tmp")).isEqualTo("scratch-tmp");
    assertThat(Names.scratchVolume("/home/node/.cache")).isEqualTo("scratch-home-node-cache");
    assertThat(Names.scratchVolume("/" + "deep/".repeat(20) + "dir"))
        .hasSize(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(Names.scratchVolume("/...")).matches("scratch-[0-9a-f]{8}");
  }
}
