/**
 * Money, billing cycles, exact proration, the payment gateway SPI and the billing ledger.
 *
 * <p>Entry points: {@link io.minispod.billing.BillingService}, built with {@link
 * io.minispod.billing.BillingService#builder} over a database migrated with {@link
 * io.minispod.billing.BillingSchema}; the values {@link io.minispod.billing.Money}, {@link
 * io.minispod.billing.BillingCycle} and {@link io.minispod.billing.ProrationCalculator}, usable
 * without a database; and the SPI {@link io.minispod.billing.PaymentGateway} with its stand-in
 * {@link io.minispod.billing.MockPaymentGateway}.
 */
package io.minispod.billing;
