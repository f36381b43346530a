package io.minispod.spring.web;

import io.minispod.billing.PaymentCharge;
import io.minispod.billing.PaymentGateway;
import io.minispod.billing.PaymentRefund;
import io.minispod.billing.PaymentResult;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment gateway that hangs: every charge waits until the test {@link #release releases} it (or
 * two minutes pass), then is approved, or declined for the accounts the test named.
 */
final class HangingGateway implements PaymentGateway {

  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger hanging = new AtomicInteger();
  private final Set<String> declined = ConcurrentHashMap.newKeySet();

  /** How many charges are hanging now. */
  int hanging() {
    return hanging.get();
  }

  /** Ends the hang: charges waiting and to come are answered, declined for {@code accounts}. */
  void release(Set<String> accounts) {
    declined.addAll(accounts);
    released.countDown();
  }

  @Override
  public PaymentResult charge(PaymentCharge charge) {
    hanging.incrementAndGet();
    try {
      if (!released.await(2, TimeUnit.MINUTES)) {
        return PaymentResult.error("gateway timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PaymentResult.error("interrupted");
    } finally {
      hanging.decrementAndGet();
    }
    return declined.contains(charge.accountId())
        ? PaymentResult.declined("card declined")
        : PaymentResult.approved("pay-" + UUID.randomUUID());
  }

  @Override
  public PaymentResult refund(PaymentRefund refund) {
    return PaymentResult.approved("refund-" + UUID.randomUUID());
  }
}
