package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusterSnapshot#fromDump}: anything but kubectl output is one line naming the file and the position. */
class ClusterSnapshotDumpTest {
  private static final String NODE = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"}}";

  @TempDir Path dir;

  private String refused(String name, String content) throws Exception {
    Path file = Files.writeString(dir.resolve(name), content);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ClusterSnapshot.fromDump(file));
    assertThat(e).as(content).isNotNull();
    assertThat(e.problems()).singleElement().asString().startsWith("dump " + file).doesNotContain("\n");
    return e.getMessage();
  }

  @Test
  void readsAListAndSeveralYamlDocuments() throws Exception {
    Path json = Files.writeString(dir.resolve("a.json"), "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + NODE + "]}");
    Path yaml = Files.writeString(dir.resolve("b.yaml"), "apiVersion: v1\nkind: Node\nmetadata: {name: b}\n---\n"
        + "apiVersion: v1\nkind: NodeList\nitems: []\n");
    assertThat(ClusterSnapshot.fromDump(json, yaml).list(ResourceKind.NODES)).hasSize(2);
  }

  @Test
  void garbageIsRefusedWithItsPosition() throws Exception {
    assertThat(refused("garbage.txt", "this is not a dump\n")).contains("line 1, column 1").contains("is a string");
  }

  @Test
  void aTruncatedJsonIsRefusedWithItsPosition() throws Exception {
    assertThat(refused("cut.json", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\n\"items\":[" + NODE.substring(0, 30)))
        .contains("not valid JSON at line 2, column").contains("ends early");
  }

  @Test
  void anEmptyFileIsRefused() throws Exception {
    assertThat(refused("empty.json", "")).contains("holds no Kubernetes objects");
    assertThat(refused("blank.yaml", "\n---\n")).contains("holds no Kubernetes objects");
  }

  @Test
  void jsonThatIsNotAListOrObjectIsRefused() throws Exception {
    assertThat(refused("array.json", "[" + NODE + "]")).contains("line 1, column 1").contains("is a list");
    assertThat(refused("items.json", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":{}}")).contains("items is a mapping, not a list");
  }

  @Test
  void itemsWithoutKindOrApiVersionAreRefused() throws Exception {
    assertThat(refused("nokind.json", "\n  {\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + NODE
        + ",{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"b\"}}]}"))
        .contains("at line 2, column 3: items[1] has no kind");
    assertThat(refused("noversion.yaml", "kind: Node\nmetadata: {name: a}\n")).contains("has no apiVersion");
  }

  @Test
  void aFileThatIsNotUtf8IsNamed() throws Exception {
    Path file = Files.write(dir.resolve("latin1.yaml"),
        "apiVersion: v1\nkind: Node\nmetadata: {name: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ClusterSnapshot.fromDump(file));
    assertThat(e.getMessage()).isEqualTo("dump " + file + " is not UTF-8 text");
  }

  @Test
  void aSourceUrlIsKeptWithoutCredentials() {
    assertThat(ClusterSnapshot.builder().source("https://admin:s3cr3t@10.0.0.1:6443/?token=s3cr3t").build().source())
        .isEqualTo("https://10.0.0.1:6443/");
  }
}
