package dev.nnc.cli;

import dev.nnc.runtime.NncFlags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The trainer's flags as options of nnc's commands that run a trainer ({@code train}, {@code eval},
 * {@code predict}, {@code gradcheck}): declared from the runtime's one table ({@link NncFlags#FLAGS}),
 * given to the trainer as they were written, and checked by the trainer's own parser, so nnc and the
 * standalone trainer accept exactly the same flags with the same messages.
 */
final class TrainerFlags {

    /** A command that runs a generated trainer: the trainer flags it takes, and those it requires. */
    interface Runner {
        List<String> trainerFlags();

        default Set<String> requiredFlags() {
            return Set.of();
        }
    }

    /** A command that runs saved weights on a data set ({@code eval}, {@code predict}): both flags required. */
    interface SavedWeightsRunner extends Runner {
        @Override
        default List<String> trainerFlags() {
            return List.of("--weights", "--data");
        }

        @Override
        default Set<String> requiredFlags() {
            return Set.of("--weights", "--data");
        }
    }

    private TrainerFlags() {}

    /** Adds every subcommand's trainer flags as options of that subcommand. */
    static void declare(CommandLine root) {
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommand() instanceof Runner runner) {
                for (String name : runner.trainerFlags()) {
                    sub.getCommandSpec().addOption(option(name, runner.requiredFlags().contains(name)));
                }
            }
        }
    }

    private static OptionSpec option(String name, boolean required) {
        NncFlags.Flag f = NncFlags.flag(name);
        if (f == null) {
            throw new IllegalArgumentException("the trainer has no flag " + name);
        }
        String help = Character.toUpperCase(f.help().charAt(0)) + f.help().substring(1) + ".";
        OptionSpec.Builder b = OptionSpec.builder(name).description(help).required(required);
        return f.valued() ? b.paramLabel(f.label()).type(String.class).build() : b.arity("0").type(boolean.class).build();
    }

    /** The trainer flags given on the command line, in the table's order: {@code --epochs 3 --save w.json}. */
    static List<String> given(CommandSpec spec) {
        return given(null, spec);
    }

    /** {@code mode} ({@code --eval}, {@code --predict}, {@code --gradcheck}), then the trainer flags given. */
    static List<String> given(String mode, CommandSpec spec) {
        List<String> args = new ArrayList<>();
        if (mode != null) {
            args.add(mode);
        }
        values(spec).forEach((name, value) -> {
            args.add(name);
            if (value != null) {
                args.add(value);
            }
        });
        return args;
    }

    /** Name to value (null for a switch) of the trainer flags given. */
    static Map<String, String> values(CommandSpec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> declared = spec.commandLine().getCommand() instanceof Runner r ? r.trainerFlags() : List.of();
        for (NncFlags.Flag f : NncFlags.FLAGS) {
            OptionSpec o = declared.contains(f.name()) ? spec.findOption(f.name()) : null;
            if (o != null && spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(o)) {
                values.put(f.name(), f.valued() ? o.getValue() : null);
            }
        }
        return values;
    }
}
