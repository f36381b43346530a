package io.minispod.billing;

import java.time.Clock;
import java.time.ZoneId;
import javax.sql.DataSource;

/**
 * The billing service most ITs work with: periods cut in Jakarta's time zone, rupiah without minor
 * units, the test's clock and gateway.
 */
final class JakartaBilling {

  static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");

  private JakartaBilling() {}

  static BillingService service(DataSource dataSource, Clock clock, PaymentGateway gateway) {
    return BillingService.builder(dataSource)
        .clock(clock)
        .paymentGateway(gateway)
        .zone(JAKARTA)
        .currencyScale("IDR", 0)
        .build();
  }
}
