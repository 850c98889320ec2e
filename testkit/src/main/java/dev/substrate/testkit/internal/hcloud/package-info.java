/** The Hetzner Cloud API v1 behind {@code FakeHetznerCloud}: resources, pagination, label selectors, faults. */
package dev.substrate.testkit.internal.hcloud;
