/** Implementation of the testkit; not an API, may change without notice. */
package dev.substrate.testkit.internal;
