/** The HTTP side of the embedded API server: routing, paths, discovery, tables, Status errors, faults. Not an API. */
package dev.substrate.kubefake.internal.http;
