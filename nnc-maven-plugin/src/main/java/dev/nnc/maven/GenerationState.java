package dev.nnc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What an execution generated in its last successful run, from which sources: the memory of the
 * incremental rule. A source whose fingerprint (its bytes and all else its classes depend on) is
 * the one recorded, and whose classes are all still there, is not compiled again; the classes of a
 * source that is gone are deleted.
 *
 * <pre>
 *   state {com/acme/fraud.nn: (3f9a..., [com/acme/Fraud.java]), com/acme/old.nn: (81c2..., [com/acme/Old.java])}
 *   stale({com/acme/fraud.nn: 3f9a..., com/acme/new.nn: 5d07...}, exists)  -&gt;  [com/acme/new.nn]
 *   next(...).orphansOf(state)                                        -&gt;  [com/acme/Old.java]
 * </pre>
 *
 * Sources are paths relative to the source directory, outputs relative to the output directory,
 * both with {@code /} between folders. Immutable. The file form is plain text, a line per source
 * ({@code source <fingerprint> <path>}) followed by a tab-indented line per output; a file that
 * cannot be read as such is no state (everything is compiled again).
 *
 * @param sources by source path, in order
 */
record GenerationState(Map<String, Entry> sources) {

    /** The fingerprint of a source as last compiled, and the files it generated. */
    record Entry(String fingerprint, List<String> outputs) {

        Entry {
            outputs = List.copyOf(outputs);
        }
    }

    static final GenerationState EMPTY = new GenerationState(Map.of());

    private static final String HEADER = "nnc-maven-plugin state 1";
    private static final String SOURCE = "source ";

    GenerationState {
        sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    }

    /**
     * The sources of {@code current} (path to fingerprint) to compile: new ones, changed ones, and
     * those one of whose outputs no longer {@code exists}.
     */
    List<String> stale(Map<String, String> current, Predicate<String> exists) {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> source : new TreeMap<>(current).entrySet()) {
            Entry last = sources.get(source.getKey());
            if (last == null || !last.fingerprint().equals(source.getValue()) || !last.outputs().stream().allMatch(exists)) {
                stale.add(source.getKey());
            }
        }
        return stale;
    }

    /**
     * The state after a run that compiled {@code compiled} (source path to its outputs now): every
     * source of {@code current} with its fingerprint, its outputs those just made or, for a source
     * not compiled, those recorded. Sources that are not in {@code current} are dropped.
     */
    GenerationState next(Map<String, String> current, Map<String, List<String>> compiled) {
        Map<String, Entry> next = new TreeMap<>();
        for (Map.Entry<String, String> source : current.entrySet()) {
            String path = source.getKey();
            List<String> outputs = compiled.containsKey(path) ? compiled.get(path) : sources.get(path).outputs();
            next.put(path, new Entry(source.getValue(), outputs));
        }
        return new GenerationState(next);
    }

    /** The outputs {@code earlier} recorded that this state does not: the files to delete, sorted. */
    List<String> orphansOf(GenerationState earlier) {
        Set<String> orphans = new TreeSet<>(earlier.outputs());
        orphans.removeAll(outputs());
        return List.copyOf(orphans);
    }

    /** Every output, once. */
    Set<String> outputs() {
        Set<String> all = new TreeSet<>();
        sources.values().forEach(e -> all.addAll(e.outputs()));
        return all;
    }

    /** Outputs that more than one source generates, each with those sources in order: the classes that would overwrite each other. */
    Map<String, List<String>> clashes() {
        Map<String, List<String>> owners = new TreeMap<>();
        sources.forEach((source, entry) -> entry.outputs().forEach(o -> owners.computeIfAbsent(o, k -> new ArrayList<>()).add(source)));
        owners.values().removeIf(list -> list.size() < 2);
        return owners;
    }

    /** The state in {@code file}; {@link #EMPTY} when there is none or it is not one this version wrote. */
    static GenerationState read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
        return parse(lines);
    }

    static GenerationState parse(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return EMPTY;
        }
        Map<String, Entry> sources = new TreeMap<>();
        String path = null;
        String fingerprint = null;
        List<String> outputs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("\t") && path != null) {
                outputs.add(line.substring(1));
            } else if (line.startsWith(SOURCE) && line.indexOf(' ', SOURCE.length()) > SOURCE.length()) {
                if (path != null) {
                    sources.put(path, new Entry(fingerprint, outputs));
                }
                int space = line.indexOf(' ', SOURCE.length());
                fingerprint = line.substring(SOURCE.length(), space);
                path = line.substring(space + 1);
                outputs = new ArrayList<>();
            } else {
                return EMPTY;
            }
        }
        if (path != null) {
            sources.put(path, new Entry(fingerprint, outputs));
        }
        return new GenerationState(sources);
    }

    /** The file form; a path with a line break in it (no build has one) is left out, so its source is compiled every time. */
    String format() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        sources.forEach((path, entry) -> {
            if (oneLine(path) && entry.outputs().stream().allMatch(GenerationState::oneLine)) {
                out.append(SOURCE).append(entry.fingerprint()).append(' ').append(path).append('\n');
                entry.outputs().forEach(o -> out.append('\t').append(o).append('\n'));
            }
        });
        return out.toString();
    }

    private static boolean oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0;
    }
}
