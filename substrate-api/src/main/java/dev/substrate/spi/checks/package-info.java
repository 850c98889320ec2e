/**
 * Doctor checks any provider can reuse: ESO's CRDs and store readiness, the default StorageClass, snapshots and RWX,
 * LoadBalancer addresses, and GPU nodes advertising {@code nvidia.com/gpu}.
 */
package dev.substrate.spi.checks;
