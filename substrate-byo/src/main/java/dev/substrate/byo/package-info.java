/**
 * Portable facets for clusters you bring yourself: the NVIDIA GPU Operator, an external GPU stack or none; the
 * cluster's default StorageClass; MetalLB or no load balancer; Secrets in the cluster as the secret backend; and
 * substrate {@code byo}. Everything is reached through the SPIs; the checks they share live in
 * {@code dev.substrate.spi.checks}.
 */
package dev.substrate.byo;
