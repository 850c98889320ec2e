/** The cluster presets: nodes, workloads and CRDs of GKE, Hetzner and bring-your-own clusters. Not an API. */
package dev.substrate.kubefake.internal.preset;
