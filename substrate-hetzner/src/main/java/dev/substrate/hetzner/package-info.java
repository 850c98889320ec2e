/**
 * Hetzner: hcloud CSI volumes, hcloud cloud-controller-manager load balancers, Robot GPU servers, and the NVIDIA
 * GPU Operator from substrate-byo.
 */
package dev.substrate.hetzner;
