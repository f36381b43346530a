package io.minispod.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class InMemoryBindingCredentialsTest {

  private final InMemoryBindingCredentials credentials = new InMemoryBindingCredentials();
  private final InstanceRef instance = new InstanceRef(UUID.randomUUID(), "owner-1");

  @Test
  void bind_isIdempotent_andTheCredentialWorksUntilUnbind() {
    Map<String, String> first = credentials.bind(instance, "b-1");

    assertThat(credentials.bind(instance, "b-1")).isEqualTo(first);
    assertThat(credentials.bind(instance, "b-2")).isNotEqualTo(first);
    assertThat(credentials.accepts(instance, first.get("username"), first.get("password")))
        .isTrue();
    assertThat(credentials.size()).isEqualTo(2);

    credentials.unbind(instance, "b-1");
    credentials.unbind(instance, "b-1");

    assertThat(credentials.accepts(instance, first.get("username"), first.get("password")))
        .isFalse();
    assertThat(credentials.size()).isEqualTo(1);
  }
}
