/**
 * In-process cloud APIs that real clients are pointed at. Every fake is a {@link dev.substrate.cloudfakes.FakeService}
 * on one {@link dev.substrate.cloudfakes.FakeHttpServer}, with the same {@link dev.substrate.cloudfakes.Faults} and
 * {@link dev.substrate.cloudfakes.Journal}; {@link dev.substrate.cloudfakes.TestTls} is the certificate of those that
 * speak HTTPS. The fakes are in {@code .google} and {@code .hetzner}.
 */
package dev.substrate.cloudfakes;
