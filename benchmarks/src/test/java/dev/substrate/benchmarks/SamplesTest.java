package dev.substrate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {
  @Test
  void anOddCountHasItsMiddleValueAsMedianWhateverTheOrder() {
    assertThat(Samples.of(List.of(5.0, 1.0, 9.0, 3.0, 7.0))).isEqualTo(new Samples(1.0, 5.0, 9.0));
  }

  @Test
  void anEvenCountHasTheMeanOfItsTwoMiddleValuesAsMedian() {
    assertThat(Samples.of(List.of(40.0, 10.0, 30.0, 20.0))).isEqualTo(new Samples(10.0, 25.0, 40.0));
  }

  @Test
  void oneValueIsMinMedianAndMax() {
    assertThat(Samples.of(List.of(2.5))).isEqualTo(new Samples(2.5, 2.5, 2.5));
  }

  @Test
  void noValuesAreRefused() {
    assertThatThrownBy(() -> Samples.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
