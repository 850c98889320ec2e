package dev.substrate.internal;

import dev.substrate.ResourceKind;
import dev.substrate.SubstrateException;

/** Thrown when a check reads a kind it did not declare in {@code reads()}: a bug in the check. */
public final class UndeclaredReadException extends SubstrateException {
  public UndeclaredReadException(String readerId, ResourceKind kind) {
    super("check " + readerId + " read " + kind.qualifiedName() + " without declaring it in reads()");
  }
}
