package io.minispod.billing;

import io.minispod.FieldErrors;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a line bills for, as billing-core sees it: an opaque id (a subscription id) and tags that
 * revenue is totalled by ({@code service → n8n}, {@code plan → pro}). billing-core knows nothing of
 * what they mean.
 *
 * @param id the reference's id, non-blank, at most 200 characters
 * @param tags tag key (at most 100 characters) to value (at most 200), neither blank; copied and
 *     sorted by key
 */
public record BillingReference(String id, Map<String, String> tags) {

  /**
   * Checks and copies the reference.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public BillingReference {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "reference.id", id, BillingKeys.MAX_ID_LENGTH);
    if (tags == null) {
      tags = Map.of();
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      BillingKeys.check(errors, "reference.tags", tag.getKey(), BillingKeys.MAX_TAG_KEY_LENGTH);
      BillingKeys.check(
          errors, "reference.tags." + tag.getKey(), tag.getValue(), BillingKeys.MAX_ID_LENGTH);
    }
    errors.throwIfAny();
    tags = Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  /**
   * A reference without tags.
   *
   * @param id the reference's id
   * @return the reference
   */
  public static BillingReference of(String id) {
    return new BillingReference(id, Map.of());
  }

  /**
   * A reference with tags.
   *
   * @param id the reference's id
   * @param tags tag key to value
   * @return the reference
   */
  public static BillingReference of(String id, Map<String, String> tags) {
    return new BillingReference(id, tags);
  }
}
