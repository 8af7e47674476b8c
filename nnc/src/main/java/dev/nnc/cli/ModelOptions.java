package dev.nnc.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What every command takes: the file, which model of it, and whether to answer in JSON. */
public final class ModelOptions {

    @Parameters(index = "0", paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "The model to use when the file holds several.")
    String model;

    @Option(names = "--json", description = "Print the result as one JSON document on stdout.")
    boolean json;
}
