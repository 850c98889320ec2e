package dev.substrate.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.BackendException;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.cloudfakes.vault.FakeVault;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultSecretStoreTest {
  private static final String VALUE = "tiger-4b1e-STORE-SECRET";
  private static final String CA = TestTls.certificatePem();

  FakeVault vault;

  @BeforeEach
  void start() {
    vault = FakeVault.builder().mount("kv").start();
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private VaultSecretStore store(String token) {
    return VaultSecretStore.builder().address(vault.url()).caBundle(CA).mount("kv").token(() -> token).build();
  }

  private static String trace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void writesTextAsTheValuePropertyThatAnExternalSecretReadsAndOtherBytesAsBase64() {
    VaultSecretStore store = store(vault.token());
    store.put("hf-token", SecretValue.of(VALUE));
    store.put("blob", SecretValue.ofBytes(new byte[] {0, (byte) 0xff}));

    assertThat(vault.data("hf-token").orElseThrow()).hasToString("{\"value\":\"" + VALUE + "\"}");
    assertThat(vault.data("blob").orElseThrow()).hasToString("{\"value\":\"AP8=\",\"encoding\":\"base64\"}");
    assertThat(store.get("blob").orElseThrow().revealBytes()).containsExactly(0, 0xff);
    assertThat(vault.journal().requests()).extracting(Journal.Request::toString)
        .startsWith("GET /v1/kv/data/hf-token -> 404", "POST /v1/kv/data/hf-token -> 200");
  }

  @Test
  void keepsVersionsAndWritesNothingForAnEqualValue() {
    VaultSecretStore store = store(vault.token());
    assertThat(store.put("db", SecretValue.of("one"))).isEqualTo(PutResult.CREATED);
    assertThat(store.put("db", SecretValue.of("two"))).isEqualTo(PutResult.UPDATED);
    assertThat(store.put("db", SecretValue.of("two"))).isEqualTo(PutResult.UNCHANGED);

    assertThat(vault.versions("db")).isEqualTo(2);
    assertThat(store.get("db", 1).orElseThrow().reveal()).isEqualTo("one");
    assertThat(store.get("db").orElseThrow().reveal()).isEqualTo("two");
    assertThat(store.get("db", 3)).isEmpty();
    assertThat(vault.journal().requests()).filteredOn(r -> r.method().equals("POST")).hasSize(2);
  }

  @Test
  void retriesAWriteThatLostACheckAndSetRace() {
    VaultSecretStore store = store(vault.token());
    vault.failNextWrite(400, "check-and-set parameter did not match the current version");

    assertThat(store.put("db", SecretValue.of("one"))).isEqualTo(PutResult.CREATED);
    assertThat(vault.journal().requests()).extracting(Journal.Request::toString).containsExactly(
        "GET /v1/kv/data/db -> 404", "POST /v1/kv/data/db -> 400", "GET /v1/kv/data/db -> 404",
        "POST /v1/kv/data/db -> 200");
  }

  @Test
  void aWriteThatKeepsLosingCheckAndSetRacesGivesUpAfterThreeAttempts() {
    VaultSecretStore store = store(vault.token());
    for (int i = 0; i < 3; i++) {
      vault.failNextWrite(400, "check-and-set parameter did not match the current version");
    }

    assertThatThrownBy(() -> store.put("db", SecretValue.of("one"))).isInstanceOfSatisfying(BackendException.class,
        e -> {
          assertThat(e.status()).hasValue(400);
          assertThat(e.getMessage()).contains("check-and-set parameter did not match");
        });
    assertThat(vault.journal().requests()).filteredOn(r -> r.method().equals("POST")).hasSize(3);
    assertThat(vault.versions("db")).isZero();
  }

  @Test
  void listsNamesInFoldersAndDeletesEveryVersion() {
    VaultSecretStore store = store(vault.token());
    for (String name : List.of("team/sub/b", "c", "team/a")) {
      store.put(name, SecretValue.of(VALUE));
    }
    store.put("c", SecretValue.of("again"));

    assertThat(store.list()).containsExactly("c", "team/a", "team/sub/b");
    assertThat(store.delete("c")).isTrue();
    assertThat(vault.versions("c")).isZero();
    assertThat(store.delete("c")).isFalse();
    assertThat(store.list()).containsExactly("team/a", "team/sub/b");
  }

  @Test
  void readsAnEntryWrittenByOtherMeansAsItsWholeDataAndReplacesItOnPut() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(TestTls.clientContext()).build();
    client.send(HttpRequest.newBuilder(URI.create(vault.url() + "/v1/kv/data/pair"))
        .header("X-Vault-Token", vault.token())
        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"user\":\"u\",\"password\":\"p\"}}")).build(),
        HttpResponse.BodyHandlers.discarding());
    VaultSecretStore store = store(vault.token());

    assertThat(store.get("pair").orElseThrow().reveal()).isEqualTo("{\"user\":\"u\",\"password\":\"p\"}");
    assertThat(store.put("pair", SecretValue.of("x"))).isEqualTo(PutResult.UPDATED);
    assertThat(vault.data("pair").orElseThrow()).hasToString("{\"value\":\"x\"}");
  }

  @Test
  void sendsTheNamespaceAndTheTokenAndMapsARefusedTokenToPermissionDenied() {
    String wrong = "hvs.wrong-token-5c2a";
    try (FakeVault enterprise = FakeVault.builder().mount("kv").namespace("team-a").start()) {
      VaultSecretStore store = VaultSecretStore.builder().address(enterprise.url()).caBundle(CA).mount("kv")
          .namespace("team-a").token(() -> wrong).build();

      BackendException e = catchThrowableOfType(BackendException.class, () -> store.get("db"));

      assertThat(e.providerId()).isEqualTo("vault");
      assertThat(e.operation()).isEqualTo("get");
      assertThat(e.secretName()).hasValue("db");
      assertThat(e.status()).hasValue(403);
      assertThat(e.isTransient()).isFalse();
      assertThat(e).hasMessageStartingWith("vault: get 'db' failed (status 403): permission denied");
      assertThat(trace(e)).doesNotContain(wrong);
      assertThat(store.toString()).doesNotContain(wrong).contains("namespace team-a");
      assertThat(enterprise.namespaces()).containsExactly("team-a");

      VaultSecretStore right = VaultSecretStore.builder().address(enterprise.url()).caBundle(CA).mount("kv")
          .namespace("team-a").token(enterprise::token).build();
      assertThat(right.put("db", SecretValue.of(VALUE))).isEqualTo(PutResult.CREATED);
      VaultSecretStore elsewhere = VaultSecretStore.builder().address(enterprise.url()).caBundle(CA).mount("kv")
          .token(enterprise::token).build();
      assertThatThrownBy(() -> elsewhere.get("db")).hasMessageContaining("status 404");
    }
  }

  @Test
  void neverRepeatsTheValueOrTheTokenThatVaultEchoesInAnError() {
    VaultSecretStore store = store(vault.token());
    vault.answerNext(400, "1 error occurred:\n\t* cannot store '" + VALUE + "' with token " + vault.token() + "\n\n");

    BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("db", SecretValue.of(VALUE)));

    assertThat(e.getMessage()).isEqualTo("vault: put 'db' failed (status 400): cannot store '<redacted>' with token "
        + "<redacted> (Vault rejected the request)");
    assertThat(trace(e)).doesNotContain(VALUE).doesNotContain(vault.token());
  }

  @Test
  void rejectsATokenThatAHeaderCannotCarryWithoutShowingIt() {
    String broken = "hvs.line-one\nline-two";
    BackendException e = catchThrowableOfType(BackendException.class, () -> store(broken).list());
    assertThat(e).hasMessage("vault: list failed: the Vault token is not printable ASCII without spaces");
    assertThat(trace(e)).doesNotContain("line-one");
    assertThat(vault.journal().requests()).isEmpty();
  }

  @Test
  void marksUnavailableAndUnreachableAsTransient() {
    VaultSecretStore store = store(vault.token());
    vault.faults().failNext(503);
    assertThat(catchThrowableOfType(BackendException.class, store::list))
        .hasMessage("vault: list failed (status 503): Vault is sealed (Vault is sealed, in maintenance or unavailable)")
        .matches(BackendException::isTransient);

    VaultSecretStore nowhere = VaultSecretStore.builder().address("http://127.0.0.1:9").token(vault::token).build();
    BackendException e = catchThrowableOfType(BackendException.class, () -> nowhere.get("db"));
    assertThat(e.isTransient()).isTrue();
    assertThat(e.status()).isEmpty();
    assertThat(e).hasMessageStartingWith("vault: get 'db' failed: Vault at http://127.0.0.1:9 could not be reached");
  }

  @Test
  void namesAMissingEngineAndRejectsNamesThatAreNotVaultPaths() {
    VaultSecretStore elsewhere = VaultSecretStore.builder().address(vault.url()).caBundle(CA).mount("secret").token(vault::token)
        .build();
    assertThatThrownBy(() -> elsewhere.put("db", SecretValue.of(VALUE)))
        .isInstanceOf(BackendException.class)
        .hasMessage("vault: put 'db' failed (status 404): no handler for route \"secret/data/db\". route entry not "
            + "found. (is a KV v2 engine mounted at secret/?)");

    VaultSecretStore store = store(vault.token());
    for (String name : List.of("", "/db", "db/", "a/../b", "a b", "a?b")) {
      assertThatThrownBy(() -> store.get(name)).isInstanceOf(BackendException.class)
          .hasMessageContaining("a secret name must be letters, digits");
    }
    assertThat(vault.journal().requests()).hasSize(1);
    assertThat(store).hasToString("VaultSecretStore[" + vault.url() + ", mount kv]");
  }
}
