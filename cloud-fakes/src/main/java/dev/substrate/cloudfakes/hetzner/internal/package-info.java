/** The Hetzner Cloud API v1 behind {@code FakeHetznerCloud}: objects, pagination, label selectors. Not an API. */
package dev.substrate.cloudfakes.hetzner.internal;
