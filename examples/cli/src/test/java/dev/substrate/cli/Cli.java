package dev.substrate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the command in-process and captures what it prints. */
final class Cli {
  private Cli() {}

  /** One run: exit code, stdout, stderr. */
  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    /** The stderr lines that are errors, not progress. */
    List<String> errors() {
      return err.lines().filter(l -> l.startsWith("substrate: ")).toList();
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SubstrateCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), args).execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
