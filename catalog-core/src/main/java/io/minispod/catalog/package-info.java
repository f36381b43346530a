/**
 * The MinisPod service catalog: categories, services with their app templates, and plans whose
 * capacity is a quota-core pool. Entry point: {@link io.minispod.catalog.Catalog}, built with
 * {@link io.minispod.catalog.Catalog#builder} over a database migrated with {@link
 * io.minispod.catalog.CatalogSchema}; its {@link io.minispod.catalog.CatalogService} serves the
 * public catalog from caches and its {@link io.minispod.catalog.CatalogAdmin} manages it. {@link
 * io.minispod.catalog.CatalogSeed} loads the n8n and Ghost catalog. {@link
 * io.minispod.catalog.AppTemplate} is what provisioners render.
 */
package io.minispod.catalog;
