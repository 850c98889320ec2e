package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.spi.Check;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Checks run as doctor runs them: held to the kinds they declare. */
class DeclaredReadsTest {
  private final ClusterSnapshot snapshot = ClusterSnapshot.builder().add(ResourceKind.NODES, List.of())
      .add(ResourceKind.STORAGE_CLASSES, List.of()).build();

  @Test
  void aCheckReadsWhatItDeclared() {
    Check check = Check.of("storage.classes", Set.of(ResourceKind.STORAGE_CLASSES),
        s -> CheckResult.pass("storage.classes", s.list(ResourceKind.STORAGE_CLASSES).size() + " classes"));
    assertThat(DeclaredReads.run(check, snapshot).finding()).isEqualTo("0 classes");
  }

  @Test
  void aCheckThatReadsAnUndeclaredKindFailsTheTestNamingTheKind() {
    Check check = Check.of("storage.sneaky", Set.of(ResourceKind.STORAGE_CLASSES),
        s -> CheckResult.pass("storage.sneaky", s.list(ResourceKind.NODES).size() + " nodes"));
    assertThatThrownBy(() -> DeclaredReads.run(check, snapshot)).isInstanceOf(UndeclaredReadException.class)
        .hasMessage("check storage.sneaky read nodes without declaring it in reads()");
  }

  @Test
  void aCheckThatAnswersForAnotherIdFailsTheTest() {
    Check check = Check.of("storage.classes", Set.of(), s -> CheckResult.pass("storage.other", "ok"));
    assertThatThrownBy(() -> DeclaredReads.run(check, snapshot)).isInstanceOf(IllegalStateException.class)
        .hasMessage("check storage.classes answered for storage.other");
  }

  @Test
  void aRestrictedViewThrowsAnUndeclaredReadException() {
    ClusterSnapshot view = DeclaredReads.restrictedTo(snapshot, Set.of(ResourceKind.NODES), "detect.alpha");
    assertThat(view.list(ResourceKind.NODES)).isEmpty();
    assertThatThrownBy(() -> view.list(ResourceKind.STORAGE_CLASSES)).isInstanceOf(UndeclaredReadException.class)
        .hasMessage("check detect.alpha read storageclasses.storage.k8s.io without declaring it in reads()");
  }
}
