package io.minispod.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * A service with all its plans (active or not), as read from the database and cached by slug: the
 * quota-free part of what the catalog serves. Immutable.
 */
record ServiceStructure(ServiceDefinition definition, List<Plan> plans) {

  ServiceStructure {
    plans = List.copyOf(plans);
  }

  List<Plan> activePlans() {
    List<Plan> active = new ArrayList<>(plans.size());
    for (Plan plan : plans) {
      if (plan.active()) {
        active.add(plan);
      }
    }
    return active;
  }
}
