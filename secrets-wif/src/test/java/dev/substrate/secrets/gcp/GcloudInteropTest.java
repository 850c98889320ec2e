package dev.substrate.secrets.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import dev.substrate.secrets.wif.Gcloud;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two independent clients against {@link FakeSecretManager}: the real {@code gcloud} and {@link GcpSecretStore} read
 * what the other wrote. gcloud takes a second or two per call, so the calls are few.
 */
class GcloudInteropTest {
  @TempDir Path dir;

  @BeforeAll
  static void gcloudIsInstalled() {
    Gcloud.assumeInstalled();
  }

  @Test
  void gcloudAndTheJavaClientReadWhatTheOtherWrote() throws Exception {
    try (FakeSecretManager fake = FakeSecretManager.start();
        GcpSecretStore store = GcpSecretStore.create("acme-ml", fake.url(),
            GoogleCredentials.create(new AccessToken(fake.token(), null)))) {
      Gcloud gcloud = new Gcloud(fake, dir, "acme-ml");
      String fromGcloud = "hf_from-gcloud-\u00e9\u6f22";
      Path data = Files.writeString(dir.resolve("value"), fromGcloud);

      Gcloud.Result created = gcloud.run("secrets", "create", "hf-token", "--data-file=" + data);
      assertThat(created.code()).as(created.toString()).isZero();
      assertThat(store.get("hf-token")).hasValueSatisfying(v -> assertThat(v.reveal()).isEqualTo(fromGcloud));
      assertThat(store.put("hf-token", SecretValue.of(fromGcloud))).isEqualTo(PutResult.UNCHANGED);

      assertThat(store.put("db-password", SecretValue.of("pw-from-java"))).isEqualTo(PutResult.CREATED);
      assertThat(store.put("db-password", SecretValue.of("pw-from-java-2"))).isEqualTo(PutResult.UPDATED);
      Gcloud.Result accessed = gcloud.run("secrets", "versions", "access", "latest", "--secret=db-password");
      assertThat(accessed.code()).as(accessed.toString()).isZero();
      assertThat(accessed.out()).isEqualTo("pw-from-java-2");

      Path next = Files.writeString(dir.resolve("next"), "hf_rotated");
      Gcloud.Result added = gcloud.run("secrets", "versions", "add", "hf-token", "--data-file=" + next);
      assertThat(added.code()).as(added.toString()).isZero();
      assertThat(store.get("hf-token")).hasValueSatisfying(v -> assertThat(v.reveal()).isEqualTo("hf_rotated"));
      assertThat(store.get("hf-token", "1")).hasValueSatisfying(v -> assertThat(v.reveal()).isEqualTo(fromGcloud));

      Gcloud.Result listed = gcloud.run("secrets", "list", "--format=json");
      assertThat(listed.code()).as(listed.toString()).isZero();
      List<String> names = new ArrayList<>();
      for (JsonNode secret : new ObjectMapper().readTree(listed.out())) {
        names.add(secret.path("name").asText());
        assertThat(secret.path("replication").has("automatic")).as(secret.toString()).isTrue();
      }
      assertThat(names).containsExactly("projects/acme-ml/secrets/db-password", "projects/acme-ml/secrets/hf-token");
      assertThat(store.list()).containsExactly("db-password", "hf-token");

      assertThat(fake.journal().requests()).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isLessThan(500));
    }
  }
}
