package dev.substrate.aws.internal;

import dev.substrate.Storage;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;

/** Storage {@code aws-ebs}: EBS gp3 volumes through {@code ebs.csi.aws.com}, EFS for ReadWriteMany. */
public final class EbsStorageProvider implements StorageProvider {
  static final String ID = "aws-ebs";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Storage create(ProviderContext context) {
    return new EbsStorage(context.config(), AwsSettings.from(context.config()));
  }
}
