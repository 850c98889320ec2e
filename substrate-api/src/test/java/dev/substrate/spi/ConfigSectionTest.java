package dev.substrate.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSectionTest {
  private static final String TOKEN = "x7Qk2pLm9RtV4sWz8YbN3cDf6GhJ1kMn5PqRs0TuVwXy2Az4Bc6De8Fg0Hj2Kl4M";

  @Test
  void readsTypedValuesWithDefaults() {
    ConfigSection s = ConfigSection.of(SubstrateConfig.parse("x:\n  name: ' a '\n  n: 7\n  text_n: '9'\n"
        + "  wait: 30\n  on: true\n  list: [a, ' b']\n"), "x", List.of("name", "n", "text_n", "wait", "on", "list"));
    assertThat(s.string("name", "d")).isEqualTo("a");
    assertThat(s.string("missing")).isEmpty();
    assertThat(s.integer("n", 1, 1, 10)).isEqualTo(7);
    assertThat(s.integer("text_n", 1, 1, 10)).isEqualTo(9);
    assertThat(s.integer("missing", 3, 1, 10)).isEqualTo(3);
    assertThat(s.seconds("wait", Duration.ofSeconds(60), 0, 3600)).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.bool("on", false)).isTrue();
    assertThat(s.bool("missing", true)).isTrue();
    assertThat(s.stringList("list", "must be a list")).containsExactly("a", "b");
    assertThat(s.choice("name", "b", List.of("a", "b"), "must be a or b")).isEqualTo("a");
    assertThat(s.choice("missing", "b", List.of("a", "b"), "must be a or b")).isEqualTo("b");
    s.check();
  }

  @Test
  void everyProblemIsCollectedAndThrownOnceNamingSectionKeyAndValue() {
    ConfigSection s = ConfigSection.of("x", Map.of("n", 0, "wait", -1, "on", "yes", "list", "a", "name", List.of(1),
        "policy", "Keep"), List.of("n", "wait", "on", "list", "name", "policy"));
    assertThat(s.integer("n", 8, 1, 256)).isEqualTo(8);
    s.seconds("wait", Duration.ofSeconds(60), 0, 3600);
    s.bool("on", false);
    s.stringList("list", "must be a list of names, such as [a]");
    s.string("name", "");
    assertThat(s.choice("policy", "Delete", List.of("Delete", "Retain"), "must be Delete or Retain"))
        .isEqualTo("Delete");
    assertThatThrownBy(s::check).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
        .containsExactly(
            "x.n was '0' but must be a whole number from 1 to 256",
            "x.wait was '-1' but must be a whole number of seconds from 0 to 3600",
            "x.on was 'yes' but must be true or false",
            "x.list was 'a' but must be a list of names, such as [a]",
            "x.name was '[1]' but must be a single value, not a list",
            "x.policy was 'Keep' but must be Delete or Retain"));
  }

  @Test
  void unknownKeysAreReportedWithTheClosestKnownOneAndNestedSectionsShareTheProblems() {
    ConfigSection s = ConfigSection.of("vault", Map.of("servr", "x", "auth", Map.of("kubernetes", Map.of("rol", "a")),
        "zzz", 1), List.of("server", "auth"));
    ConfigSection kubernetes = s.section("auth", List.of("kubernetes")).section("kubernetes", List.of("role"));
    assertThat(kubernetes.name()).isEqualTo("vault.auth.kubernetes");
    kubernetes.problem("role", "", "must be set");
    assertThatThrownBy(s::check).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "vault.servr is not a known key (known: server, auth); did you mean 'server'?",
            "vault.zzz is not a known key (known: server, auth)",
            "vault.auth.kubernetes.rol is not a known key (known: role); did you mean 'role'?",
            "vault.auth.kubernetes.role was '' but must be set"));
  }

  @Test
  void aNestedSectionThatIsNotAMappingIsAProblem() {
    ConfigSection s = ConfigSection.of("x", Map.of("auth", "k"), List.of("auth"));
    assertThat(s.section("auth", List.of("a", "b")).has("a")).isFalse();
    assertThatThrownBy(s::check).isInstanceOf(ConfigException.class)
        .hasMessage("x.auth was 'k' but must be a mapping of keys (a, b)");
  }

  @Test
  void aSecretsLocationThatLooksLikeTheSecretIsNeverEchoed() {
    ConfigSection s = ConfigSection.of("x", Map.of("env", TOKEN, "bad_env", "A B", "file", TOKEN,
        "ok_env", "HCLOUD_TOKEN", "ok_file", "/run/secrets/t"), List.of("env", "bad_env", "file", "ok_env", "ok_file"));
    assertThat(s.envVariable("env", "HCLOUD_TOKEN")).isEmpty();
    assertThat(s.envVariable("bad_env", "HCLOUD_TOKEN")).isEmpty();
    assertThat(s.secretFile("file", "/run/token")).isEmpty();
    assertThat(s.envVariable("ok_env", "HCLOUD_TOKEN")).contains("HCLOUD_TOKEN");
    assertThat(s.secretFile("ok_file", "/run/token")).contains("/run/secrets/t");
    assertThatThrownBy(s::check).isInstanceOfSatisfying(ConfigException.class, e -> {
      assertThat(e.problems()).containsExactly(
          "x.env looks like a token, not the name of an environment variable (its value is not shown): it must name "
              + "a variable such as HCLOUD_TOKEN",
          "x.bad_env is not the name of an environment variable (its value is not shown): it must name a variable "
              + "such as HCLOUD_TOKEN",
          "x.file looks like a token, not a file name (its value is not shown): it must name a file holding the "
              + "token, such as /run/token");
      assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("A B");
    });
  }

  @Test
  void aChoiceSetBlankIsAProblemNotTheDefault() {
    ConfigSection s = ConfigSection.of("x", Map.of("policy", ""), List.of("policy"));
    s.choice("policy", "Delete", List.of("Delete", "Retain"), "must be Delete or Retain");
    assertThatThrownBy(s::check).hasMessage("x.policy was '' but must be Delete or Retain");
  }

  @Test
  void aSecretsLocationSetBlankIsAProblem() {
    ConfigSection s = ConfigSection.of("x", Map.of("env", " ", "file", ""), List.of("env", "file"));
    assertThat(s.envVariable("env", "V")).isEmpty();
    assertThat(s.secretFile("file", "/f")).isEmpty();
    assertThatThrownBy(s::check).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
        .containsExactly("x.env is not the name of an environment variable (its value is not shown): it must name a "
            + "variable such as V", "x.file was '' but must name a file holding the token"));
  }

  @Test
  void twoKeysOfWhichOnlyOneMayBeSet() {
    ConfigSection one = ConfigSection.of("x", Map.of("a", "1"), List.of("a", "b"));
    one.exclusive("a", "b");
    one.check();
    ConfigSection both = ConfigSection.of("x", Map.of("a", "1", "b", "2"), List.of("a", "b"));
    both.problem("a", "1", "must be 2");
    both.exclusive("a", "b");
    assertThatThrownBy(both::check).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
        .containsExactly("x.a was '1' but must be 2", "x.a and x.b were both set but only one may be"));
  }

  @Test
  void onlyTheFirstProblemOfAKeyIsReported() {
    ConfigSection s = ConfigSection.of("x", Map.of("k", "v"), List.of("k"));
    s.problem("k", "v", "must be w");
    s.problem("k", "v", "must be z");
    assertThatThrownBy(s::check).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).containsExactly("x.k was 'v' but must be w"));
  }

  @Test
  void anOverrideSetsAndRemovesKeysOfOneSectionAndKeepsTheRest() {
    SubstrateConfig config = SubstrateConfig.parse("profile: dev\nx: {a: 1, b: 2}\ny: {c: 3}\n");
    Map<String, Object> values = new java.util.LinkedHashMap<>();
    values.put("a", null);
    values.put("d", "4");
    SubstrateConfig overridden = ConfigSection.override(config, "x", values);
    assertThat(overridden.section("x")).contains(Map.of("b", 2, "d", "4"));
    assertThat(overridden.section("y")).isEqualTo(config.section("y"));
    assertThat(overridden.profile()).isEqualTo(config.profile());
    assertThat(ConfigSection.override(config, "z", Map.of("e", 5)).section("z")).contains(Map.of("e", 5));
  }

  @Test
  void aSectionWithoutProblemsPasses() {
    ConfigSection.of(SubstrateConfig.parse("profile: dev\n"), "absent", List.of("a")).check();
  }
}
