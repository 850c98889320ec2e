/** What the cloud fakes share beyond the HTTP core. Not an API. */
package dev.substrate.cloudfakes.internal;
