package dev.nnc.cli;

import dev.nnc.diag.CompileError;
import dev.nnc.diag.UsageError;
import dev.nnc.runtime.NncSuggest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nnc}: argument handling and exit codes only. 0 success, 1 the input is wrong (diagnostics
 * on stderr), 2 the command line is wrong, 3 anything else. No stack trace without {@code --debug}.
 * The subcommands inherit {@code --help} and {@code --version} ({@code nnc check --help}).
 */
@Command(name = "nnc", mixinStandardHelpOptions = true, version = "nnc 0.1.0", scope = CommandLine.ScopeType.INHERIT,
        description = "Compile .nn network descriptions: check them, derive their gradients, generate trainers.",
        subcommands = {CheckCommand.class, GradCommand.class, TraceCommand.class, GraphCommand.class,
                ReportCommand.class, CompileCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class, GradcheckCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static final int OK = 0;
    public static final int INPUT_ERROR = 1;
    public static final int USAGE_ERROR = 2;
    public static final int INTERNAL_ERROR = 3;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show Java stack traces of internal errors.")
    boolean debug;

    public static void main(String[] args) {
        dev.nnc.runtime.NncTimeline.mark("main");
        Integer relaunched = Relaunch.ifUseful(args);
        if (relaunched != null) {
            System.exit(relaunched);
        }
        dev.nnc.compile.Warmup.start(args); // javac's first compile on the other core while this one parses
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** Runs one command line, writing results to {@code out} and messages to {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main());
        TrainerFlags.declare(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            if (e instanceof CommandLine.UnmatchedArgumentException u && c == cli
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                err.println("nnc: unknown command '" + u.getUnmatched().get(0) + "'");
                CommandLine.UnmatchedArgumentException.printSuggestions(u, err);
            } else if (unknownOption(c) != null) {
                // before a missing required option too: the typo may be of that option's name
                err.println("nnc: " + unknownFlag(unknownOption(c), c.getCommandSpec()));
            } else {
                err.println("nnc: " + e.getMessage());
            }
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> report(e, err, debug));
        try {
            int code = cli.execute(args);
            out.flush();
            err.flush();
            return code;
        } catch (RuntimeException | Error e) {
            return report(e, err, debug);
        }
    }

    /** The first argument the command did not match that looks like a flag, or null. */
    private static String unknownOption(CommandLine command) {
        return command.getUnmatchedArguments().stream().filter(a -> a.startsWith("-") && a.length() > 1).findFirst().orElse(null);
    }

    /**
     * {@code unknown flag --epoch (did you mean --epochs?)}: the standalone trainer's words, and the
     * one rule of nearness that it and the checker use ({@link NncSuggest}), over the command's options.
     */
    static String unknownFlag(String arg, CommandLine.Model.CommandSpec command) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        List<String> flags = new ArrayList<>();
        command.options().forEach(o -> flags.addAll(List.of(o.names())));
        String nearest = NncSuggest.nearest(name, flags);
        return "unknown flag " + name + (nearest == null ? "" : " (did you mean " + nearest + "?)");
    }

    private static int report(Throwable e, PrintWriter err, boolean debug) {
        int code;
        if (e instanceof CompileError c) {
            err.print(c.diagnostics().render());
            int n = c.diagnostics().count();
            err.println(n + (n == 1 ? " error" : " errors"));
            code = INPUT_ERROR;
        } else if (e instanceof UsageError) {
            err.println("nnc: " + e.getMessage());
            code = USAGE_ERROR;
        } else {
            err.println("nnc: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
            if (debug) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                err.print(trace);
            }
            code = INTERNAL_ERROR;
        }
        err.flush();
        return code;
    }
}
