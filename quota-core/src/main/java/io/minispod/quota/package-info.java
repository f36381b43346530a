/**
 * Capacity pools that are never over-allocated. Entry point: {@link
 * io.minispod.quota.QuotaManager}, built with {@link io.minispod.quota.QuotaManager#builder} over a
 * database migrated with {@link io.minispod.quota.QuotaSchema}.
 */
package io.minispod.quota;
