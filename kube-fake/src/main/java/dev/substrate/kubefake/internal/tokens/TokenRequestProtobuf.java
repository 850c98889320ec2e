package dev.substrate.kubefake.internal.tokens;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes a TokenRequest sent as Kubernetes protobuf ({@code application/vnd.kubernetes.protobuf}), as kubectl's
 * typed client sends it ({@code kubectl create token}), into its JSON form. The envelope is the 4-byte magic
 * {@code k8s\0} and a {@code runtime.Unknown} (1: typeMeta {1: apiVersion, 2: kind}, 2: raw); {@code raw} is the
 * {@code TokenRequest} (2: spec {1: audiences, 3: boundObjectRef {1: kind, 2: apiVersion, 3: name, 4: uid},
 * 4: expirationSeconds}). Only what the server reads is decoded.
 */
final class TokenRequestProtobuf {
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private TokenRequestProtobuf() {}

  static ObjectNode decode(Json json, byte[] bytes) {
    if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("the protobuf body does not start with the Kubernetes magic number");
    }
    ObjectNode out = json.object();
    Reader unknown = new Reader(bytes, MAGIC.length, bytes.length);
    byte[] raw = null;
    while (unknown.more()) {
      int tag = unknown.varintInt();
      if (tag == (1 << 3 | 2)) {
        Reader typeMeta = unknown.message();
        while (typeMeta.more()) {
          int t = typeMeta.varintInt();
          if (t == (1 << 3 | 2)) {
            out.put("apiVersion", typeMeta.string());
          } else if (t == (2 << 3 | 2)) {
            out.put("kind", typeMeta.string());
          } else {
            typeMeta.skip(t);
          }
        }
      } else if (tag == (2 << 3 | 2)) {
        raw = unknown.bytes();
      } else {
        unknown.skip(tag);
      }
    }
    if (raw == null) {
      throw new IllegalArgumentException("the protobuf body carries no object");
    }
    ObjectNode spec = out.putObject("spec");
    ArrayNode audiences = spec.putArray("audiences");
    Reader request = new Reader(raw, 0, raw.length);
    while (request.more()) {
      int tag = request.varintInt();
      if (tag != (2 << 3 | 2)) {
        request.skip(tag);
        continue;
      }
      Reader s = request.message();
      while (s.more()) {
        int t = s.varintInt();
        if (t == (1 << 3 | 2)) {
          audiences.add(s.string());
        } else if (t == (4 << 3)) {
          spec.put("expirationSeconds", s.varint());
        } else if (t == (3 << 3 | 2)) {
          ObjectNode ref = spec.putObject("boundObjectRef");
          Reader r = s.message();
          while (r.more()) {
            int f = r.varintInt();
            switch (f) {
              case 1 << 3 | 2 -> ref.put("kind", r.string());
              case 2 << 3 | 2 -> ref.put("apiVersion", r.string());
              case 3 << 3 | 2 -> ref.put("name", r.string());
              case 4 << 3 | 2 -> ref.put("uid", r.string());
              default -> r.skip(f);
            }
          }
        } else {
          s.skip(t);
        }
      }
    }
    return out;
  }

  /** Reads protobuf wire format from a slice of bytes. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;

    Reader(byte[] b, int from, int to) {
      this.b = b;
      this.pos = from;
      this.end = to;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated protobuf body");
        }
        byte x = b[pos++];
        value |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("malformed varint in the protobuf body");
    }

    int varintInt() {
      return (int) varint();
    }

    byte[] bytes() {
      int len = varintInt();
      if (len < 0 || pos + len > end) {
        throw new IllegalArgumentException("truncated protobuf body");
      }
      byte[] out = Arrays.copyOfRange(b, pos, pos + len);
      pos += len;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader message() {
      int len = varintInt();
      if (len < 0 || pos + len > end) {
        throw new IllegalArgumentException("truncated protobuf body");
      }
      Reader r = new Reader(b, pos, pos + len);
      pos += len;
      return r;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> bytes();
        case 5 -> pos += 4;
        default -> throw new IllegalArgumentException("unsupported protobuf wire type " + (tag & 7));
      }
      if (pos > end) {
        throw new IllegalArgumentException("truncated protobuf body");
      }
    }
  }
}
