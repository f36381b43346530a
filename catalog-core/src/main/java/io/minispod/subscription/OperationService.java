package io.minispod.subscription;

import java.time.Duration;
import java.util.UUID;

/**
 * Follows the operations that {@link SubscriptionService#startSubscribe}, {@link
 * UpgradeService#startUpgrade}, {@link SubscriptionService#startCancel} and {@link
 * InstanceService#startUpdateEnv} start: start, then observe or await.
 *
 * <p>An operation runs to its end whether or not anyone waits for it, on the node that started it
 * or, if that node stops, on whichever node's workflow runner claims it.
 */
public interface OperationService {

  /**
   * One of the user's operations as it is now.
   *
   * @param userId the user
   * @param operationId the operation
   * @return the operation
   * @throws io.minispod.catalog.CatalogNotFoundException if there is no such operation of the user
   *     (another user's operation is reported as unknown)
   */
  Operation operation(String userId, UUID operationId);

  /**
   * Waits until one of the user's operations ends, or at most {@code wait}. An interrupted wait
   * returns the operation as it is, with the thread's interrupt flag set.
   *
   * @param userId the user
   * @param operationId the operation
   * @param wait the longest wait, real time
   * @return the operation, ended or still running
   * @throws io.minispod.catalog.CatalogNotFoundException if there is no such operation of the user
   */
  Operation await(String userId, UUID operationId, Duration wait);
}
