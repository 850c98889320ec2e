package dev.substrate.cloudfakes.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

/** How the token-exchange fakes (Google STS, AWS STS) check a subject token's signature against a JWKS key. */
public final class JwtSignatures {
  private JwtSignatures() {}

  /** Whether {@code jwt} verifies with {@code key} (RSA or EC); false for any other key or a failed verification. */
  public static boolean verifies(SignedJWT jwt, JWK key) {
    try {
      JWSVerifier verifier;
      if (key instanceof RSAKey rsa) {
        verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
      } else if (key instanceof ECKey ec) {
        verifier = new ECDSAVerifier(ec.toECPublicKey());
      } else {
        return false;
      }
      return jwt.verify(verifier);
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }
}
