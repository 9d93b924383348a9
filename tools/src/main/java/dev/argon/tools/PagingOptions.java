package dev.argon.tools;

import picocli.CommandLine.Option;

/** {@code --batch-size}, for verbs whose answers arrive through a server cursor. */
public final class PagingOptions {
    @Option(names = "--batch-size", defaultValue = "0",
            description = "documents per batch fetched from the server (default: the server's choice)")
    int batchSize;
}
