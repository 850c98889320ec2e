package dev.substrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * What doctor found: one {@link CheckResult} per check, and how many API requests it took.
 *
 * <pre>
 * PASS  storage.default-class  exactly one default StorageClass: hcloud-volumes
 * FAIL  eso.crds               External Secrets CRDs are missing: clustersecretstores.external-secrets.io
 *       → install External Secrets Operator (helm install external-secrets ...)
 * 14 passed / 1 failed / 2 warnings
 * Kubernetes API: 11 requests
 * </pre>
 */
@Value.Immutable
public abstract class Report {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public abstract String substrateId();

  /** Where the cluster state came from: an API server URL or dump files. */
  public abstract String source();

  public abstract List<CheckResult> results();

  /**
   * Requests made to the Kubernetes API server: the snapshot's LISTs (pages included, and the nodes listed to detect
   * the substrate when they were reused), and what checks sent through the live client, {@link #apiWrites()} included.
   */
  public abstract int apiRequests();

  /** The writes among {@link #apiRequests()}, each saying what it did, such as creating a TokenRequest. */
  public abstract List<String> apiWrites();

  /**
   * Requests made to APIs outside the cluster by name, such as {@code hcloud}; they often have a rate limit. The text
   * and JSON list them by name.
   */
  public abstract Map<String, Integer> otherApiRequests();

  public long passed() {
    return count(CheckStatus.PASS);
  }

  public long failed() {
    return count(CheckStatus.FAIL);
  }

  public long warnings() {
    return count(CheckStatus.WARN);
  }

  public long skipped() {
    return count(CheckStatus.SKIP);
  }

  private long count(CheckStatus status) {
    return results().stream().filter(r -> r.status() == status).count();
  }

  /** Whether any result is {@code threshold} or worse: FAIL, or WARN/FAIL when {@code threshold} is WARN. */
  public boolean hasAtLeast(CheckStatus threshold) {
    return failed() > 0 || (threshold == CheckStatus.WARN && warnings() > 0);
  }

  /** The one-line summary, e.g. {@code 14 passed / 1 failed / 2 warnings}. */
  public String summary() {
    String s = passed() + " passed / " + failed() + " failed / " + warnings() + (warnings() == 1 ? " warning" : " warnings");
    return skipped() > 0 ? s + " (" + skipped() + " skipped)" : s;
  }

  /** One line per check, remedies indented under them, the summary, then the requests made to each API. */
  public String toText() {
    int width = results().stream().mapToInt(r -> r.id().length()).max().orElse(0);
    StringBuilder b = new StringBuilder();
    for (CheckResult r : results()) {
      b.append(String.format("%-4s  %-" + width + "s  %s%n", r.status(), r.id(), r.finding()));
      r.remedy().ifPresent(remedy -> b.append("      → ").append(remedy).append(System.lineSeparator()));
    }
    b.append(summary()).append(System.lineSeparator());
    if (apiRequests() > 0) {
      b.append("Kubernetes API: ").append(apiRequests()).append(apiRequests() == 1 ? " request" : " requests");
      if (!apiWrites().isEmpty()) {
        b.append(", ").append(apiWrites().size()).append(apiWrites().size() == 1 ? " a write: " : " writes: ")
            .append(String.join("; ", apiWrites()));
      }
      b.append(System.lineSeparator());
    }
    new TreeMap<>(otherApiRequests()).forEach((api, n) -> b.append(api).append(" API: ").append(n)
        .append(n == 1 ? " request" : " requests").append(System.lineSeparator()));
    return b.toString();
  }

  /** The same content as {@link #toText()}, as JSON. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("substrate", substrateId());
    root.put("source", source());
    ObjectNode summary = root.putObject("summary");
    summary.put("passed", passed());
    summary.put("failed", failed());
    summary.put("warnings", warnings());
    summary.put("skipped", skipped());
    root.put("apiRequests", apiRequests());
    ArrayNode writes = root.putArray("apiWrites");
    apiWrites().forEach(writes::add);
    ObjectNode other = root.putObject("otherApiRequests");
    new TreeMap<>(otherApiRequests()).forEach(other::put);
    ArrayNode checks = root.putArray("checks");
    for (CheckResult r : results()) {
      ObjectNode c = checks.addObject();
      c.put("id", r.id());
      c.put("status", r.status().name());
      c.put("finding", r.finding());
      r.remedy().ifPresent(remedy -> c.put("remedy", remedy));
    }
    try {
      return JSON.writeValueAsString(root) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableReport.Builder {}
}
