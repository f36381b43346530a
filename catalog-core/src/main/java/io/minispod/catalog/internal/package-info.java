/**
 * The catalog's implementation, unreachable from other modules: {@link
 * io.minispod.catalog.internal.CatalogNode} wires the store (jOOQ over {@code minispod_catalog}),
 * the bounded caches, the LISTEN/NOTIFY change listener, validation and the template codec.
 */
package io.minispod.catalog.internal;
