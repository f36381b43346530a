package io.minispod.catalog;

import java.util.List;

/**
 * One service with the plans it offers and their live capacity.
 *
 * <p>The definition includes the app template, which a public API should not need to show.
 *
 * @param service the service
 * @param plans its active plans, by tier, each with its quota figures
 */
public record ServiceDetails(ServiceDefinition service, List<PlanDetails> plans) {

  /** Copies the plans. */
  public ServiceDetails {
    plans = List.copyOf(plans);
  }
}
