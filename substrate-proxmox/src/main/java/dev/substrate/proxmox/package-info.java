/**
 * Proxmox VE: Kubernetes nodes that are Proxmox VMs, recognised by the {@code proxmox://} providerIDs of the Proxmox
 * cloud-controller-manager, with volumes from the Proxmox CSI plugin, GPUs passed through to VMs, and MetalLB. Used
 * only through {@code META-INF/services}.
 */
package dev.substrate.proxmox;
