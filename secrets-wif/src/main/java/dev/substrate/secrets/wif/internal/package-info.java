/** The wif trust root's settings and doctor checks. Not an API. */
package dev.substrate.secrets.wif.internal;
