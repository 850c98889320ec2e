/** The AWS Secrets Manager backend's provider, settings, error mapping and doctor checks. Not an API. */
package dev.substrate.secrets.aws.internal;
