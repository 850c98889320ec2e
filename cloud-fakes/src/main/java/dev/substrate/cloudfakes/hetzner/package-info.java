/** The Hetzner Cloud API v1, as the hcloud CLI, the CCM/CSI and the Java client speak it. */
package dev.substrate.cloudfakes.hetzner;
