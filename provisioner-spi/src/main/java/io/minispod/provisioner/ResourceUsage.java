package io.minispod.provisioner;

/**
 * What an instance currently uses.
 *
 * @param cpuMillicores CPU in thousandths of a core
 * @param memoryMiB memory in MiB
 * @param storageGiB storage in GiB
 */
public record ResourceUsage(long cpuMillicores, long memoryMiB, double storageGiB) {}
