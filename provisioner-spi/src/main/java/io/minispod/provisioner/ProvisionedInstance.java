package io.minispod.provisioner;

/**
 * Where a provisioned instance can be reached.
 *
 * @param url its public URL, such as {@code https://n8n-k3x9q2mt.apps.example.com}
 * @param namespace the isolated namespace (or equivalent) it runs in
 */
public record ProvisionedInstance(String url, String namespace) {}
