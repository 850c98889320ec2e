/** The Secret Manager backend's provider, settings and calls. Not an API. */
package dev.substrate.secrets.gcp.internal;
