/**
 * The MinisPod service catalog: categories, services and plans whose capacity is a quota-core pool.
 * Entry point: {@link io.minispod.catalog.Catalog}, built with {@link
 * io.minispod.catalog.Catalog#builder} over a database migrated with {@link
 * io.minispod.catalog.CatalogSchema}; its {@link io.minispod.catalog.CatalogService} serves the
 * public catalog from caches, its {@link io.minispod.catalog.CatalogAdmin} manages it, and its
 * {@link io.minispod.catalog.CatalogPort} is the one door through which code that sells the catalog
 * (the subscription side) reads it. {@link io.minispod.catalog.CatalogSeed} loads the n8n and Ghost
 * catalog. Prices are billing-core's {@link io.minispod.billing.Price}; what an app runs is in
 * {@link io.minispod.catalog.template}.
 */
package io.minispod.catalog;
