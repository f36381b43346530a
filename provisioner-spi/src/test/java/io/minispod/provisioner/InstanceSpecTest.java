package io.minispod.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.ValidationException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class InstanceSpecTest {

  private final InMemoryProvisioner provisioner = new InMemoryProvisioner("apps.test");

  private static InstanceSpec ghost() {
    return InMemoryProvisionerTest.ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
  }

  @Test
  void isCustomDomain_acceptsLowerCaseHostNamesOfTwoOrMoreLabels() {
    assertThat(InstanceSpec.isCustomDomain("blog.example.com")).isTrue();
    assertThat(InstanceSpec.isCustomDomain("example.io")).isTrue();
    assertThat(InstanceSpec.isCustomDomain("a-1.b2.example.com")).isTrue();
    assertThat(InstanceSpec.isCustomDomain("x".repeat(63) + ".example.com")).isTrue();
  }

  @Test
  void isCustomDomain_refusesWhatIsNoDns1123HostName() {
    assertThat(InstanceSpec.isCustomDomain(null)).isFalse();
    assertThat(InstanceSpec.isCustomDomain("localhost")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("Blog.Example.com")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("blog.example.com.")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("*.example.com")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("-blog.example.com")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("blog-.example.com")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("blog..example.com")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("blog_1.example.com")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("10.0.0.1")).isFalse();
    assertThat(InstanceSpec.isCustomDomain("x".repeat(64) + ".example.com")).isFalse();
    assertThat(InstanceSpec.isCustomDomain(("a".repeat(60) + ".").repeat(5) + "com")).isFalse();
  }

  @Test
  void constructorWithoutCustomDomain_hasNone() {
    assertThat(ghost().customDomain()).isNull();
  }

  @Test
  void withCustomDomain_isKeptByResizedTo() {
    InstanceSpec spec = ghost().withCustomDomain("blog.example.com");

    InstanceSpec resized = spec.resizedTo("pro", new ResourceLimits(1000, 1024, 10));

    assertThat(resized.customDomain()).isEqualTo("blog.example.com");
    assertThat(resized.withCustomDomain(null).customDomain()).isNull();
  }

  @Test
  void withCustomDomain_badHostName_isRefusedNamingTheField() {
    assertThatThrownBy(() -> ghost().withCustomDomain("not a host"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("customDomain"))
        .hasMessageContaining("not a host");
  }

  @Test
  void inMemoryProvision_customDomain_isKeptWithTheInstance() {
    InstanceSpec spec = ghost().withCustomDomain("blog.example.com");

    provisioner.provision(spec);

    assertThat(provisioner.instance(spec.instanceId()).orElseThrow().customDomain())
        .isEqualTo("blog.example.com");
  }

  @Test
  void inMemoryProvisionAndResize_customDomainInTheBaseDomain_isAConfigurationFailure() {
    InstanceSpec spec = ghost();
    provisioner.provision(spec);

    for (String taken : new String[] {"apps.test", "ghost-other123.apps.test"}) {
      InstanceSpec withDomain = spec.withCustomDomain(taken);
      assertThatThrownBy(() -> provisioner.provision(withDomain))
          .isInstanceOfSatisfying(
              ProvisioningException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
                assertThat(e.reason()).isEqualTo(FailureReason.CONFIGURATION);
                assertThat(e.retryable()).isFalse();
                assertThat(e.platformDetail().orElseThrow()).contains("base domain apps.test");
              })
          .hasMessageNotContaining(taken);
      assertThatThrownBy(() -> provisioner.resize(withDomain))
          .isInstanceOf(ProvisioningException.class);
    }
    assertThat(provisioner.instance(spec.instanceId()).orElseThrow().customDomain()).isNull();
  }
}
