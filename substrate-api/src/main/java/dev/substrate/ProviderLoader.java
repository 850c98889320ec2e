package dev.substrate;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds providers of an SPI. The default uses {@link ServiceLoader}; tests pass providers directly, with no class-path
 * tricks.
 *
 * <pre>{@code
 * Substrates.builder().loader(ProviderLoader.of(new MyStorageProvider())).config(config).build();
 * }</pre>
 */
@FunctionalInterface
public interface ProviderLoader {
  /** Every provider of {@code spi} this loader knows. */
  <T> List<T> load(Class<T> spi);

  /** Providers registered in {@code META-INF/services}, seen from {@code classLoader}. */
  static ProviderLoader serviceLoader(ClassLoader classLoader) {
    return new ProviderLoader() {
      @Override
      public <T> List<T> load(Class<T> spi) {
        List<T> found = new ArrayList<>();
        ServiceLoader.load(spi, classLoader).forEach(found::add);
        return found;
      }
    };
  }

  /** Providers registered in {@code META-INF/services}, seen from this library's class loader. */
  static ProviderLoader serviceLoader() {
    return serviceLoader(ProviderLoader.class.getClassLoader());
  }

  /** Exactly the given provider instances. */
  static ProviderLoader of(Object... providers) {
    List<Object> all = List.of(providers);
    return new ProviderLoader() {
      @Override
      public <T> List<T> load(Class<T> spi) {
        List<T> found = new ArrayList<>();
        for (Object p : all) {
          if (spi.isInstance(p)) {
            found.add(spi.cast(p));
          }
        }
        return found;
      }
    };
  }

  /** This loader's providers followed by {@code other}'s. */
  default ProviderLoader and(ProviderLoader other) {
    ProviderLoader self = this;
    return new ProviderLoader() {
      @Override
      public <T> List<T> load(Class<T> spi) {
        List<T> found = new ArrayList<>(self.load(spi));
        found.addAll(other.load(spi));
        return found;
      }
    };
  }
}
