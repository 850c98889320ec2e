package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.MalformedInputException;
import org.junit.jupiter.api.Test;

class SubstrateExceptionTest {
  @Test
  void describesTextThatIsNotUtf8InWordsNotAsInputLength() {
    assertThat(SubstrateException.describe(new IOException(new MalformedInputException(1))))
        .isEqualTo("the text is not UTF-8");
  }

  @Test
  void aHostThatDoesNotResolveIsNotCalledConnectionRefused() {
    ConnectException wrapped = new ConnectException();
    wrapped.initCause(new UnresolvedAddressException());
    assertThat(SubstrateException.describe(new IOException(wrapped))).isEqualTo("the host name does not resolve");
    ConnectException named = new ConnectException("no-such-host.invalid");
    named.initCause(new UnknownHostException("no-such-host.invalid: Name or service not known"));
    assertThat(SubstrateException.describe(named)).isEqualTo("the host name no-such-host.invalid does not resolve");
  }

  @Test
  void anExceptionWithoutAMessageIsDescribedByItsClassNeverAsNull() {
    assertThat(SubstrateException.describe(new IllegalStateException())).isEqualTo("illegal state");
    assertThat(SubstrateException.describe(new RuntimeException(new NullPointerException()))).isEqualTo("null pointer");
  }
}
