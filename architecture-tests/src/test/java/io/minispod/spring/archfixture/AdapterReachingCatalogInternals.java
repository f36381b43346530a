package io.minispod.spring.archfixture;

import io.minispod.catalog.internal.CatalogNode;

/** An adapter class that breaks the rule: it reaches catalog-core's internals. Test input only. */
public final class AdapterReachingCatalogInternals {

  private AdapterReachingCatalogInternals() {}

  /** Uses an internal class of another module. */
  static boolean listening(CatalogNode node) {
    return node.isListening();
  }
}
