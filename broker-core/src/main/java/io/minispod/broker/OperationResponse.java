package io.minispod.broker;

/**
 * The answer to a provision, update or deprovision: its HTTP status and body.
 *
 * @param status 200 (done, or nothing to do) or 202 (in progress: poll {@code last_operation})
 * @param dashboardUrl {@code dashboard_url}: where the instance is reachable, or {@code null}
 * @param operation {@code operation}: the operation to pass to {@code last_operation}, or {@code
 *     null} when nothing is in progress
 */
public record OperationResponse(int status, String dashboardUrl, String operation) {

  /** Checks the status. */
  public OperationResponse {
    if (status != 200 && status != 202) {
      throw new IllegalArgumentException("status must be 200 or 202, was " + status);
    }
  }

  static OperationResponse done(String dashboardUrl) {
    return new OperationResponse(200, dashboardUrl, null);
  }

  static OperationResponse accepted(String operation) {
    return new OperationResponse(202, null, operation);
  }
}
