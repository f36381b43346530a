package io.minispod.k8s.archfixture;

import io.minispod.catalog.Catalog;

/** A provisioner class that breaks the rule: it reaches into catalog-core. Test input only. */
public final class ProvisionerReachingTheCatalog {

  private ProvisionerReachingTheCatalog() {}

  /** Uses the catalog, which no provisioner may. */
  static boolean listens(Catalog catalog) {
    return catalog.dataSource() != null;
  }
}
