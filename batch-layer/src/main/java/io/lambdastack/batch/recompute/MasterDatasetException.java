package io.lambdastack.batch.recompute;

/** The master dataset cannot be read as it is (a corrupt file, an unexpected schema); the message names the file. */
public final class MasterDatasetException extends RuntimeException implements io.lambdastack.view.config.OneLineProblem {
  public MasterDatasetException(String message) {
    super(message);
  }

  public MasterDatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
