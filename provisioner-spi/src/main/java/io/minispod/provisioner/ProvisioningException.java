package io.minispod.provisioner;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provisioner could not do what was asked.
 *
 * <p>What a user may see of it is safe to show: a stable {@link #reason()} category, whose sentence
 * makes the message ({@code Instance <id>: the app's image could not be pulled (reference
 * ab12cd34)}), and a random {@link #reference()}. {@link #details()} carry {@code instanceId},
 * {@code reason} (the category's name) and {@code reference}. What the platform said (service
 * account names, RBAC text, the API server's address, registry answers) is kept apart, for
 * operators: {@link #platformDetail()}, never put into the message or the details, and logged once
 * at {@code WARN} with the reference when the failure is created by {@link #of}, so that the
 * reference a user quotes finds the full text in the log.
 *
 * <pre>{@code
 * throw ProvisioningException.of(
 *     spec.instanceId(), FailureReason.IMAGE_PULL, false,
 *     "ErrImagePull: registry.example.com/app:1.2: 401 Unauthorized", null);
 * }</pre>
 *
 * <p>An error kept by its details (a failed workflow's row) is rebuilt with {@link #restore}, which
 * keeps its category and reference. The constructors taking a {@code String} reason predate the
 * categories: the text they are given reaches users as it is, so they are only for text written for
 * users; a text that is a category's name (as a stored {@code details.reason} is) is read as that
 * category.
 */
public final class ProvisioningException extends MinisPodException {

  private static final long serialVersionUID = 2L;

  private static final Logger log = LoggerFactory.getLogger(ProvisioningException.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern REFERENCE = Pattern.compile("[0-9a-z]{4,32}");

  private final UUID instanceId;
  private final FailureReason reason;
  private final String reference;
  private final String platformDetail;
  private final boolean retryable;

  /**
   * Creates the error of a provisioner that does not categorise its failures. Prefer {@link #of}.
   *
   * @param instanceId the instance concerned
   * @param reason a text written for the user, which becomes part of the message as it is (never a
   *     secret, nothing the platform said); or a {@link FailureReason}'s name, as an error rebuilt
   *     from its stored {@code details.reason}, which gives that category without a reference
   * @param retryable whether trying again later may succeed (a timeout, a 5xx, a conflict)
   * @param cause the underlying failure, or {@code null}
   */
  public ProvisioningException(UUID instanceId, String reason, boolean retryable, Throwable cause) {
    this(Parts.legacy(Objects.requireNonNull(instanceId, "instanceId"), reason), retryable, cause);
  }

  /**
   * Creates the error of a call that concerns no single instance, such as {@link
   * Provisioner#instances()}, from a provisioner that does not categorise its failures. Prefer
   * {@link #of} with no instance.
   *
   * @param reason a text written for the user (see {@link #ProvisioningException(UUID, String,
   *     boolean, Throwable)}), or a {@link FailureReason}'s name
   * @param retryable whether trying again later may succeed (a timeout, a 5xx)
   * @param cause the underlying failure, or {@code null}
   */
  public ProvisioningException(String reason, boolean retryable, Throwable cause) {
    this(Parts.legacy(null, reason), retryable, cause);
  }

  private ProvisioningException(Parts parts, boolean retryable, Throwable cause) {
    super(ErrorCode.PROVISIONING_FAILED, parts.message(), parts.details(), cause);
    this.instanceId = parts.instanceId;
    this.reason = parts.reason;
    this.reference = parts.reference;
    this.platformDetail = parts.platformDetail;
    this.retryable = retryable;
    if (parts.platformDetail != null) {
      log.warn(
          "Provisioning failure {} of {}: {} ({}): {}",
          parts.reference,
          instanceId == null ? "the provisioner" : "instance " + instanceId,
          parts.reason,
          retryable ? "retryable" : "permanent",
          parts.platformDetail,
          cause);
    }
  }

  /**
   * Creates a categorised failure with a fresh reference, and logs {@code platformDetail} with that
   * reference once at {@code WARN} (with the cause's stack trace). Create one only to throw it: a
   * condition the provisioner handles itself is no failure to log.
   *
   * @param instanceId the instance concerned, or {@code null} for a call that concerns none
   * @param reason the category the user sees
   * @param retryable whether trying again later may succeed
   * @param platformDetail what the platform said, for operators (it may name internal accounts,
   *     addresses and messages; never a secret value)
   * @param cause the underlying failure, or {@code null}
   * @return the failure, to throw
   */
  public static ProvisioningException of(
      UUID instanceId,
      FailureReason reason,
      boolean retryable,
      String platformDetail,
      Throwable cause) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(platformDetail, "platformDetail");
    return new ProvisioningException(
        new Parts(instanceId, reason, newReference(), platformDetail, null), retryable, cause);
  }

  /**
   * Rebuilds a failure from the details it had (as {@link #details()} gave them and a workflow
   * stored them): the same category, reference and message, without the platform's text (which is
   * in the log) and without logging again.
   *
   * @param details {@code reason}, and where present {@code instanceId} and {@code reference}; a
   *     {@code reason} that names no category (a text kept before categories existed) gives {@link
   *     FailureReason#OTHER}, and is not shown
   * @param retryable whether trying again later may succeed
   * @return the failure
   * @throws IllegalArgumentException when {@code instanceId} is not a UUID
   */
  public static ProvisioningException restore(Map<String, ?> details, boolean retryable) {
    Object id = details.get("instanceId");
    Object stored = details.get("reason");
    Object reference = details.get("reference");
    FailureReason reason = FailureReason.named(stored == null ? null : stored.toString());
    return new ProvisioningException(
        new Parts(
            id == null ? null : UUID.fromString(id.toString()),
            reason == null ? FailureReason.OTHER : reason,
            reference != null && REFERENCE.matcher(reference.toString()).matches()
                ? reference.toString()
                : null,
            null,
            null),
        retryable,
        null);
  }

  /**
   * Whether trying again later may succeed.
   *
   * @return {@code true} for transient failures
   */
  public boolean retryable() {
    return retryable;
  }

  /**
   * The category of the failure, which users may see.
   *
   * @return the category ({@link FailureReason#OTHER} when the provisioner gave none)
   */
  public FailureReason reason() {
    return reason;
  }

  /**
   * The random id under which the log has the platform's full text, such as {@code ab12cd34}.
   *
   * @return the reference; empty only for an error rebuilt from a category name alone (the {@code
   *     String} constructors) or from details without one
   */
  public Optional<String> reference() {
    return Optional.ofNullable(reference);
  }

  /**
   * What the platform said, for operators: never part of {@link #getMessage()} or {@link
   * #details()}, so never shown to users by the library.
   *
   * @return the text; empty for an error that was rebuilt from its details (the text is in the log
   *     under {@link #reference()})
   */
  public Optional<String> platformDetail() {
    return Optional.ofNullable(platformDetail);
  }

  /**
   * The instance concerned.
   *
   * @return its id; empty for a call that concerns no single instance
   */
  public Optional<UUID> instanceId() {
    return Optional.ofNullable(instanceId);
  }

  private static String newReference() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** What one failure says, computed before the superclass is constructed. */
  private record Parts(
      UUID instanceId,
      FailureReason reason,
      String reference,
      String platformDetail,
      String userText) {

    /** A text from a caller that does not categorise: a category's name, or text for users. */
    static Parts legacy(UUID instanceId, String text) {
      Objects.requireNonNull(text, "reason");
      FailureReason named = FailureReason.named(text);
      if (named != null) {
        return new Parts(instanceId, named, null, null, null);
      }
      return new Parts(instanceId, FailureReason.OTHER, newReference(), text, text);
    }

    String message() {
      String said = userText != null ? userText : reason.userMessage();
      String withReference = reference == null ? said : said + " (reference " + reference + ")";
      return instanceId == null
          ? "Provisioning failed: " + withReference
          : "Instance " + instanceId + ": " + withReference;
    }

    Map<String, String> details() {
      Map<String, String> details = new LinkedHashMap<>();
      if (instanceId != null) {
        details.put("instanceId", instanceId.toString());
      }
      details.put("reason", reason.name());
      if (reference != null) {
        details.put("reference", reference);
      }
      return details;
    }
  }
}
