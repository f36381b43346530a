package io.minispod.provisioner;

import java.util.Locale;

/**
 * Why a provisioner failed, as a stable category that may be shown to the user whose instance it
 * concerns: {@link ProvisioningException#reason()}, and {@code details.reason} of the error a host
 * serves. Each category has a sentence written for users ({@link #userMessage()}); what the
 * platform itself said (names of service accounts, RBAC rules, the API server's address, registry
 * answers) stays with the operators, in the log under the failure's reference.
 */
public enum FailureReason {
  /** The image of the app or of a companion could not be pulled (unknown tag, registry refusal). */
  IMAGE_PULL("the app's image could not be pulled"),
  /**
   * The platform did not accept the instance's configuration: a container that cannot be created
   * from it, an object the platform declares invalid, a template the provisioner cannot render.
   */
  CONFIGURATION("the app could not be started with its configuration"),
  /** No node has room for the instance's pods right now; it may fit later. */
  UNSCHEDULABLE("the platform has no room for the instance at the moment"),
  /** The app starts and exits again, over and over. */
  CRASH_LOOP("the app keeps crashing after it starts"),
  /** The instance does not fit in the resource quota of its owner. */
  QUOTA("the instance does not fit in its resource quota"),
  /**
   * The instance's storage cannot be changed as asked: volumes never shrink, and grow only where
   * the platform allows it.
   */
  STORAGE("its storage cannot be resized that way"),
  /** The instance did not become ready, or the platform did not answer, within the time allowed. */
  TIMEOUT("the operation did not finish in time"),
  /**
   * Something else changes the instance or its owner's space right now (a removal that is still
   * finishing, concurrent writes); trying again shortly should pass.
   */
  BUSY("another change is still in progress; try again shortly"),
  /** The platform refused the request (permissions, admission policies). */
  REFUSED("the platform refused the request"),
  /** The platform could not be reached or kept failing. */
  CLUSTER_ERROR("the platform is unavailable at the moment; try again later"),
  /** The provisioner was stopped while it worked (the host shutting down). */
  INTERRUPTED("the operation was interrupted"),
  /** A provisioner that does not categorise its failures (see {@link ProvisioningException}). */
  OTHER("the provisioner reported a failure");

  private final String userMessage;

  FailureReason(String userMessage) {
    this.userMessage = userMessage;
  }

  /**
   * A sentence for the user, such as {@code the app's image could not be pulled}: lower case, no
   * full stop, nothing from the platform in it.
   *
   * @return the sentence
   */
  public String userMessage() {
    return userMessage;
  }

  /**
   * The category with this name, as stored in an error's {@code details.reason}.
   *
   * @param name a constant's name, such as {@code IMAGE_PULL} (case-insensitive)
   * @return the category, or {@code null} when {@code name} names none
   */
  public static FailureReason named(String name) {
    if (name == null) {
      return null;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
