/** Server-side apply and merge patches as the API server does them. Not an API. */
package dev.substrate.kubefake.internal.apply;
