package dev.substrate.cli;

import dev.substrate.ClusterAccessException;
import dev.substrate.ConfigException;
import dev.substrate.ProviderConflictException;
import dev.substrate.ProviderNotFoundException;
import dev.substrate.SubstrateException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code substrate} command. Data goes to stdout, progress and errors to stderr; every error is one line
 * {@code substrate: <message>}. Exit codes: 0 all good, 1 doctor found checks at or above {@code --fail-on} (or an
 * operation failed), 2 a usage, config or cluster-access error.
 */
@Command(name = "substrate", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
    versionProvider = SubstrateCli.Version.class,
    description = "The substrate of a Kubernetes GPU platform (GPU stack, storage, load balancing, secrets trust "
        + "root) on GKE, Hetzner or your own cluster.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:all good", "1:doctor found checks at or above --fail-on, or an operation failed",
        "2:usage, config or cluster-access error"},
    footer = {"", "Cluster access is explicit: --kubeconfig FILE [--context NAME] or --embedded bare|gke|hetzner|byo|aws;"
        + " KUBECONFIG and ~/.kube/config are never read on their own."})
public final class SubstrateCli implements Callable<Integer> {
  /** Checks at or above the threshold, or an operation failed. */
  public static final int FAILED = 1;
  /** Usage, config or cluster-access error. */
  public static final int USAGE = 2;

  /** Every command, in the order {@code --help} lists them. */
  static final List<Class<?>> COMMANDS = List.of(CapabilitiesCommand.class, DiffCommand.class, RenderCommand.class,
      DoctorCommand.class, GpusCommand.class, PoolsCommand.class, ApplyCommand.class, SecretsCommand.class,
      WifCommand.class, ClusterCommand.class, NodeCommand.class);

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
  boolean debug;

  @Override
  public Integer call() {
    throw new CliException("missing command: capabilities, diff, render, doctor, gpus, apply, secrets, cluster serve or "
        + "node preflight "
        + "(see 'substrate --help')");
  }

  public static void main(String[] args) {
    if (!List.of(args).contains("--debug")) {
      quietLogging();
    }
    PrintWriter out = new PrintWriter(
        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(
        new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    int code = commandLine(out, err, args).execute(args);
    out.flush();
    err.flush();
    HttpSelectorThreads.stop();
    System.exit(code);
  }

  /**
   * The command with all its subcommands, printing to {@code out} and {@code err}, with one-line errors and the exit
   * codes above.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, new String[0]);
  }

  /**
   * The command for one run with {@code args}: when they name a subcommand, only that one is built. Picocli reflects
   * over every option of every command it is given, which a run of one command need not pay for; help, a mistyped
   * command and no command get them all.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
    CommandLine cli = new CommandLine(new SubstrateCli());
    String named = Arrays.stream(args).filter(arg -> !arg.startsWith("-")).findFirst().orElse(null);
    boolean known = COMMANDS.stream().anyMatch(command -> name(command).equals(named));
    for (Class<?> command : COMMANDS) {
      if (!known || name(command).equals(named)) {
        cli.addSubcommand(command);
      }
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExpandAtFiles(false);
    cli.setParameterExceptionHandler(SubstrateCli::usageError);
    cli.setExecutionExceptionHandler(SubstrateCli::executionError);
    return cli;
  }

  private static String name(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine failed = e.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println("substrate: " + oneLine(e.getMessage()) + " (see '" + failed.getCommandSpec().qualifiedName()
        + " --help')");
    if (List.of(args).contains("--debug")) {
      e.printStackTrace(err);
    }
    err.flush();
    return USAGE;
  }

  private static int executionError(Exception e, CommandLine failed, ParseResult parsed) {
    PrintWriter err = failed.getErr();
    int code = Failure.report(e, err);
    if (debug(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static boolean debug(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  /** The exception's message, or what its class and causes say when it has none. */
  private static String said(Exception e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? ClusterAccess.why(e) : e.getMessage();
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * An exception as {@code substrate: } lines and an exit code. A class of its own: checking the Fabric8 exception
   * here would load Fabric8 whenever {@link SubstrateCli} is verified, {@code --help} included.
   */
  private static final class Failure {
    static int report(Exception e, PrintWriter err) {
      List<String> lines = new ArrayList<>();
      int code;
      if (e instanceof ConfigException) {
        lines.addAll(((ConfigException) e).problems());
        code = USAGE;
      } else if (e instanceof CliException || e instanceof ProviderNotFoundException
          || e instanceof ProviderConflictException || e instanceof ClusterAccessException) {
        lines.add(said(e));
        code = USAGE;
      } else if (e instanceof SubstrateException) {
        lines.add(said(e));
        code = FAILED;
      } else if (e instanceof KubernetesClientException) {
        KubernetesClientException k = (KubernetesClientException) e;
        lines.add("the Kubernetes API answered HTTP " + k.getCode() + ": "
            + (k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
                : ClusterAccess.why(k)));
        code = FAILED;
      } else {
        lines.add("unexpected error: " + e + " (run with --debug for the stack trace)");
        code = FAILED;
      }
      lines.forEach(line -> err.println("substrate: " + oneLine(line)));
      return code;
    }
  }

  /** Drops java.util.logging output (the embedded server's); SLF4J goes to slf4j-nop. */
  private static void quietLogging() {
    LogManager.getLogManager().reset();
    Logger.getLogger("").setLevel(Level.OFF);
  }

  /** The version from the build. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = SubstrateCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"substrate " + p.getProperty("version", "(development build)")};
    }
  }
}
