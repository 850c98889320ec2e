/** The object store of the embedded API server: resource types, CRDs, selectors, names. Not an API. */
package dev.substrate.kubefake.internal.store;
