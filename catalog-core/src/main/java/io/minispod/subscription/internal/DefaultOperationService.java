package io.minispod.subscription.internal;

import io.minispod.ValidationException;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.subscription.Operation;
import io.minispod.subscription.OperationService;
import io.minispod.subscription.internal.workflow.WorkflowDispatcher;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.subscription.internal.workflow.WorkflowStore;
import java.time.Duration;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Reads operations from the workflow table and waits for them: woken at once when this node's run
 * of the workflow stops, and reading the table at intervals while another node runs it.
 */
final class DefaultOperationService implements OperationService {

  /** How often a waiter reads an operation that runs elsewhere (or waits for a retry). */
  static final Duration POLL = Duration.ofMillis(200);

  private final DSLContext dsl;
  private final SubscriptionStore store;
  private final WorkflowStore workflows;
  private final SubscriptionOperations operations;
  private final WorkflowDispatcher dispatcher;

  DefaultOperationService(
      DSLContext dsl,
      SubscriptionStore store,
      WorkflowStore workflows,
      SubscriptionOperations operations,
      WorkflowDispatcher dispatcher) {
    this.dsl = dsl;
    this.store = store;
    this.workflows = workflows;
    this.operations = operations;
    this.dispatcher = dispatcher;
  }

  @Override
  public Operation operation(String userId, UUID operationId) {
    return operations.operation(own(userId, operationId));
  }

  @Override
  public Operation await(String userId, UUID operationId, Duration wait) {
    if (wait == null || wait.isNegative()) {
      throw ValidationException.of("wait", "must be zero or more");
    }
    WorkflowRecord w = own(userId, operationId);
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      for (long left = wait.toNanos();
          w.getStatus() == WorkflowStatus.RUNNING && left > 0;
          left = deadline - System.nanoTime()) {
        Duration slice = Duration.ofNanos(Math.min(left, POLL.toNanos()));
        if (!dispatcher.awaitRun(operationId, slice)) {
          Thread.sleep(slice.toMillis(), (int) (slice.toNanos() % 1_000_000));
        }
        w = workflows.find(dsl, operationId).orElseThrow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return operations.operation(w);
  }

  /** The user's workflow, or not found: another user's is reported like an unknown one. */
  private WorkflowRecord own(String userId, UUID operationId) {
    SubscriptionOperations.checkUser(userId);
    if (operationId == null) {
      throw ValidationException.of("operationId", "must be given");
    }
    return workflows
        .find(dsl, operationId)
        .filter(
            w ->
                store
                    .subscription(dsl, w.getSubscriptionId())
                    .filter(s -> s.getUserId().equals(userId))
                    .isPresent())
        .orElseThrow(() -> CatalogNotFoundException.operation(operationId));
  }
}
