package dev.substrate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The continue token is read off a page before its items are parsed, so the next page can be asked for meanwhile. */
class SnapshotReaderTest {
  private static String token(String json) {
    return SnapshotReader.continueToken(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theTokenIsReadFromTheMetadataBeforeTheItems() {
    assertThat(token("{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"7\","
        + "\"continue\":\"eyJ2IjoxfQ\",\"remainingItemCount\":9500},\"items\":[{\"metadata\":{\"name\":\"a\"}}]}"))
        .isEqualTo("eyJ2IjoxfQ");
  }

  @Test
  void aListWhoseMetadataFollowsItsItemsStillGivesItsToken() {
    assertThat(token("{\"items\":[{\"metadata\":{\"name\":\"a\",\"labels\":{\"continue\":\"no\"}}}],"
        + "\"metadata\":{\"continue\":\"next\"}}")).isEqualTo("next");
  }

  @Test
  void theLastPageAndAnythingElseHaveNone() {
    assertThat(token("{\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[]}")).isNull();
    assertThat(token("{\"metadata\":{\"continue\":\"\"},\"items\":[]}")).isEmpty();
    assertThat(token("{\"metadata\":{\"continue\":null},\"items\":[]}")).isNull();
    assertThat(token("{\"items\":[]}")).isNull();
    assertThat(token("[]")).isNull();
    assertThat(token("not json")).isNull();
    assertThat(token("")).isNull();
  }
}
