package dev.substrate.benchmarks;

/** The floor {@link CliBenchmark} compares against: a JVM that starts, prints one line and exits. */
public final class HelloWorld {
  private HelloWorld() {}

  public static void main(String[] args) {
    System.out.println("hello, world");
  }
}
