package io.minispod.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.minispod.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class ProvisioningExceptionTest {

  private static final UUID ID = UUID.fromString("7d1f3c2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f");
  private static final String RBAC_TEXT =
      "HTTP 403: deployments.apps is forbidden: User"
          + " \"system:serviceaccount:minispod:provisioner\" cannot create resource \"deployments\""
          + " in API group \"apps\" at https://10.96.0.1:443";

  private final Logger logger = (Logger) LoggerFactory.getLogger(ProvisioningException.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(logged);
  }

  @Test
  void of_platformText_staysOutOfMessageAndDetails_whichCarryCategoryAndReference() {
    ProvisioningException e =
        ProvisioningException.of(ID, FailureReason.REFUSED, false, RBAC_TEXT, null);

    String reference = e.reference().orElseThrow();
    assertThat(reference).matches("[0-9a-f]{8}");
    assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
    assertThat(e.reason()).isEqualTo(FailureReason.REFUSED);
    assertThat(e.retryable()).isFalse();
    assertThat(e.instanceId()).contains(ID);
    assertThat(e.getMessage())
        .isEqualTo(
            "Instance " + ID + ": the platform refused the request (reference " + reference + ")");
    assertThat(e.details())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("instanceId", ID.toString(), "reason", "REFUSED", "reference", reference));
    assertThat(e.getMessage() + e.details()).doesNotContain("serviceaccount", "10.96.0.1");
    assertThat(e.platformDetail()).contains(RBAC_TEXT);
  }

  @Test
  void of_logsThePlatformTextOnceAtWarn_withTheReference() {
    IllegalStateException cause = new IllegalStateException("client said no");

    ProvisioningException e =
        ProvisioningException.of(ID, FailureReason.REFUSED, false, RBAC_TEXT, cause);

    assertThat(logged.list).hasSize(1);
    ILoggingEvent line = logged.list.get(0);
    assertThat(line.getLevel()).isEqualTo(Level.WARN);
    assertThat(line.getFormattedMessage())
        .isEqualTo(
            "Provisioning failure "
                + e.reference().orElseThrow()
                + " of instance "
                + ID
                + ": REFUSED (permanent): "
                + RBAC_TEXT);
    assertThat(line.getThrowableProxy().getMessage()).isEqualTo("client said no");
  }

  @Test
  void of_eachFailure_hasAReferenceOfItsOwn() {
    List<String> references =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(
                i ->
                    ProvisioningException.of(ID, FailureReason.TIMEOUT, true, "slow", null)
                        .reference()
                        .orElseThrow())
            .distinct()
            .toList();

    assertThat(references).hasSize(50);
  }

  @Test
  void of_noInstance_saysProvisioningFailedAndNamesNone() {
    ProvisioningException e =
        ProvisioningException.of(
            null, FailureReason.CLUSTER_ERROR, true, "listing Deployments failed: HTTP 503", null);

    assertThat(e.getMessage())
        .isEqualTo(
            "Provisioning failed: the platform is unavailable at the moment; try again later"
                + " (reference "
                + e.reference().orElseThrow()
                + ")");
    assertThat(e.details()).containsOnlyKeys("reason", "reference");
    assertThat(e.instanceId()).isEmpty();
    assertThat(logged.list.get(0).getFormattedMessage()).contains("of the provisioner: ");
  }

  @Test
  void restore_detailsOfAFailure_giveTheSameErrorWithoutThePlatformTextAndWithoutLogging() {
    ProvisioningException original =
        ProvisioningException.of(ID, FailureReason.IMAGE_PULL, false, "manifest unknown", null);
    Map<String, String> stored = new HashMap<>();
    original.details().forEach((key, value) -> stored.put(key, value.toString()));
    logged.list.clear();

    ProvisioningException restored = ProvisioningException.restore(stored, false);

    assertThat(restored.getMessage()).isEqualTo(original.getMessage());
    assertThat(restored.details()).isEqualTo(original.details());
    assertThat(restored.reason()).isEqualTo(FailureReason.IMAGE_PULL);
    assertThat(restored.reference()).isEqualTo(original.reference());
    assertThat(restored.platformDetail()).isEmpty();
    assertThat(logged.list).isEmpty();
  }

  @Test
  void restore_textFromBeforeCategories_isOtherAndNotShown() {
    ProvisioningException restored =
        ProvisioningException.restore(
            Map.of(
                "instanceId",
                ID.toString(),
                "reason",
                "not ready: pods is forbidden: system:serviceaccount:x",
                "reference",
                "no such reference!"),
            true);

    assertThat(restored.reason()).isEqualTo(FailureReason.OTHER);
    assertThat(restored.reference()).isEmpty();
    assertThat(restored.retryable()).isTrue();
    assertThat(restored.getMessage())
        .isEqualTo("Instance " + ID + ": the provisioner reported a failure");
    assertThat(restored.details()).containsOnlyKeys("instanceId", "reason");
  }

  @Test
  void restore_instanceIdThatIsNoUuid_isRefused() {
    assertThatThrownBy(
            () ->
                ProvisioningException.restore(
                    Map.of("instanceId", "x", "reason", "TIMEOUT"), false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stringConstructor_categoryName_asCatalogCoreRebuildsIt_isThatCategoryAndDeterministic() {
    ProvisioningException first = new ProvisioningException(ID, "CRASH_LOOP", false, null);
    ProvisioningException second = new ProvisioningException(ID, "CRASH_LOOP", false, null);

    assertThat(first.reason()).isEqualTo(FailureReason.CRASH_LOOP);
    assertThat(first.getMessage())
        .isEqualTo("Instance " + ID + ": the app keeps crashing after it starts")
        .isEqualTo(second.getMessage());
    assertThat(first.details())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("instanceId", ID.toString(), "reason", "CRASH_LOOP"));
    assertThat(first.reference()).isEmpty();
    assertThat(logged.list).isEmpty();
  }

  @Test
  void stringConstructor_textForUsers_staysInTheMessage_categoryOtherWithReference() {
    ProvisioningException e =
        new ProvisioningException(ID, "injected failure for this instance", true, null);

    String reference = e.reference().orElseThrow();
    assertThat(e.reason()).isEqualTo(FailureReason.OTHER);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo(
            "Instance "
                + ID
                + ": injected failure for this instance (reference "
                + reference
                + ")");
    assertThat(e.details())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("instanceId", ID.toString(), "reason", "OTHER", "reference", reference));
    assertThat(e.platformDetail()).contains("injected failure for this instance");
    assertThat(logged.list)
        .singleElement()
        .satisfies(line -> assertThat(line.getFormattedMessage()).contains(reference));
  }

  @Test
  void stringConstructor_withoutInstance_namesNone() {
    ProvisioningException e = new ProvisioningException("TIMEOUT", true, null);

    assertThat(e.getMessage())
        .isEqualTo("Provisioning failed: the operation did not finish in time");
    assertThat(e.details()).containsOnlyKeys("reason");
    assertThat(e.instanceId()).isEmpty();
  }

  @Test
  void named_readsStoredNamesOnly() {
    assertThat(FailureReason.named("IMAGE_PULL")).isEqualTo(FailureReason.IMAGE_PULL);
    assertThat(FailureReason.named(" image_pull ")).isEqualTo(FailureReason.IMAGE_PULL);
    assertThat(FailureReason.named("image pull failed")).isNull();
    assertThat(FailureReason.named(null)).isNull();
  }

  @Test
  void userMessages_sayNothingOfThePlatform() {
    for (FailureReason reason : FailureReason.values()) {
      assertThat(reason.userMessage())
          .as(reason.name())
          .isNotBlank()
          .doesNotContain("Kubernetes", "HTTP", "namespace", "pod")
          .doesNotEndWith(".");
    }
  }
}
