package io.minispod.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class AllocationRequestTest {

  @Test
  void constructor_everyFieldBad_namesEveryField() {
    assertThatThrownBy(() -> new AllocationRequest("", " ", List.of(), Duration.ofSeconds(-1)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
              assertThat(e.fieldErrors())
                  .containsOnlyKeys("owner", "idempotencyKey", "items", "holdFor");
              assertThat(e.details()).containsKey("fields");
            });
  }

  @Test
  void constructor_samePoolTwice_isRefused() {
    assertThatThrownBy(
            () -> AllocationRequest.of("alice", "k", QuotaItem.of("p", 1), QuotaItem.of("p", 2)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors().get("items")).contains("at most once"));
  }

  @Test
  void constructor_nullItem_isRefused() {
    List<QuotaItem> items = new ArrayList<>(Arrays.asList(QuotaItem.of("p", 1), null));
    assertThatThrownBy(() -> new AllocationRequest("alice", "k", items, null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("null");
  }

  @Test
  void constructor_keyTooLongOrWithControlCharacters_isRefused() {
    String tooLong = "k".repeat(201);
    assertThatThrownBy(() -> AllocationRequest.of("alice", tooLong, QuotaItem.of("p", 1)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("at most 200 characters, was 201");
    assertThatThrownBy(() -> AllocationRequest.of("al\nice", "k", QuotaItem.of("p", 1)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("control characters");
  }

  @Test
  void constructor_zeroHold_isRefused() {
    assertThatThrownBy(
            () -> AllocationRequest.hold("alice", "k", Duration.ZERO, QuotaItem.of("p", 1)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("holdFor"));
  }

  @Test
  void constructor_copiesItems() {
    List<QuotaItem> items = new ArrayList<>(List.of(QuotaItem.of("p", 1)));
    AllocationRequest request = new AllocationRequest("alice", "k", items, null);
    items.add(QuotaItem.of("q", 1));

    assertThat(request.items()).containsExactly(QuotaItem.of("p", 1));
  }

  @Test
  void quotaItem_nonPositiveAmountOrBlankPool_isRefused() {
    assertThatThrownBy(() -> QuotaItem.of("p", 0))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must be positive, was 0");
    assertThatThrownBy(() -> QuotaItem.of(null, -3))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("poolKey", "amount"));
  }

  @Test
  void fingerprint_ignoresItemOrderButNotContent() {
    AllocationRequest ab =
        AllocationRequest.of("alice", "k", QuotaItem.of("a", 1), QuotaItem.of("b", 2));
    AllocationRequest ba =
        AllocationRequest.of("alice", "k", QuotaItem.of("b", 2), QuotaItem.of("a", 1));
    AllocationRequest more =
        AllocationRequest.of("alice", "k", QuotaItem.of("a", 1), QuotaItem.of("b", 3));
    AllocationRequest other =
        AllocationRequest.of("bob", "k", QuotaItem.of("a", 1), QuotaItem.of("b", 2));
    AllocationRequest held =
        AllocationRequest.hold(
            "alice", "k", Duration.ofMinutes(1), QuotaItem.of("a", 1), QuotaItem.of("b", 2));

    assertThat(QuotaStore.fingerprint(ab)).isEqualTo(QuotaStore.fingerprint(ba)).hasSize(64);
    assertThat(QuotaStore.fingerprint(ab))
        .isNotEqualTo(QuotaStore.fingerprint(more))
        .isNotEqualTo(QuotaStore.fingerprint(other))
        .isNotEqualTo(QuotaStore.fingerprint(held));
  }

  @Test
  void allocationAmountOf_poolNotTouched_isZero() {
    Allocation allocation =
        new Allocation(
            java.util.UUID.randomUUID(),
            "alice",
            "k",
            AllocationStatus.CONFIRMED,
            List.of(QuotaItem.of("a", 4)),
            null,
            java.time.Instant.EPOCH);

    assertThat(allocation.amountOf("a")).isEqualTo(4);
    assertThat(allocation.amountOf("b")).isZero();
    assertThat(AllocationStatus.PENDING.isLive()).isTrue();
    assertThat(AllocationStatus.EXPIRED.isLive()).isFalse();
  }

  @Test
  void poolUtilisation_emptyPool_isZeroPercent() {
    assertThat(new PoolUtilisation("p", 0, 0, 0).percentUsed()).isZero();
    assertThat(new PoolUtilisation("p", 8, 2, 1).percentUsed()).isEqualTo(25.0);
  }
}
