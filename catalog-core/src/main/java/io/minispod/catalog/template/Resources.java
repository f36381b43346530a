package io.minispod.catalog.template;

/**
 * The compute resources a plan gives an instance (requests and limits are both set to these), or
 * that a companion component of a template takes. The catalog requires each to be greater than 0.
 *
 * @param cpuMillicores CPU in thousandths of a core (1000 = one core)
 * @param memoryMiB memory in mebibytes
 * @param storageGiB persistent storage in gibibytes
 */
public record Resources(int cpuMillicores, int memoryMiB, int storageGiB) {}
