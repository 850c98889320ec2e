package dev.substrate;

/**
 * A check or a detection read a kind it did not declare in {@code reads()}: a bug in the provider. Doctor reports it
 * as the check's failure; {@link DeclaredReads} lets a provider's tests find it first.
 */
public final class UndeclaredReadException extends SubstrateException {
  UndeclaredReadException(String readerId, ResourceKind kind) {
    super("check " + readerId + " read " + kind.qualifiedName() + " without declaring it in reads()");
  }
}
