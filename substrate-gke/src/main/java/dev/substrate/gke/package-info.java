/** GKE, the reference substrate: managed GPU stack, PD and Filestore storage, GKE load balancers, Workload Identity. */
package dev.substrate.gke;
