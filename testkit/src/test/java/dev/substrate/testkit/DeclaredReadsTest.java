package dev.substrate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.SubstrateException;
import dev.substrate.spi.Check;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
    assertThatThrownBy(() -> DeclaredReads.run(check, snapshot)).isInstanceOf(AssertionError.class)
        .hasMessage("check storage.sneaky read nodes without declaring it in reads()");
  }

  @Test
  void aCheckThatAnswersForAnotherIdFailsTheTest() {
    Check check = Check.of("storage.classes", Set.of(), s -> CheckResult.pass("storage.other", "ok"));
    assertThatThrownBy(() -> DeclaredReads.run(check, snapshot)).isInstanceOf(AssertionError.class)
        .hasMessage("check storage.classes answered for storage.other");
  }

  @Test
  void aRestrictedViewThrowsASubstrateExceptionTheKitRecognises() {
    ClusterSnapshot view = DeclaredReads.restrictedTo(snapshot, Set.of(ResourceKind.NODES), "detect.alpha");
    assertThat(view.list(ResourceKind.NODES)).isEmpty();
    assertThatThrownBy(() -> view.list(ResourceKind.STORAGE_CLASSES)).isInstanceOf(SubstrateException.class)
        .satisfies(e -> assertThat(DeclaredReads.isUndeclaredRead(e)).isTrue())
        .hasMessage("check detect.alpha read storageclasses.storage.k8s.io without declaring it in reads()");
    assertThat(DeclaredReads.isUndeclaredRead(new SubstrateException("other"))).isFalse();
  }
}
