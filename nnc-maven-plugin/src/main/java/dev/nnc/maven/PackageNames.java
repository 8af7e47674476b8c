package dev.nnc.maven;

import java.util.Arrays;
import javax.lang.model.SourceVersion;

/**
 * The Java package of a {@code .nn} file's classes: its folder under the source directory, as
 * javac expects of a {@code .java} file, unless the execution names one.
 *
 * <pre>
 *   fromPath("com/acme/fraud.nn")  -&gt;  "com.acme"
 *   fromPath("fraud.nn")           -&gt;  ""           (the default package)
 *   fromPath("my-models/x.nn")     -&gt;  IllegalArgumentException: the folder is no Java package name
 * </pre>
 */
final class PackageNames {

    private PackageNames() {}

    /**
     * The package that {@code relativePath} (a file under the source directory, {@code /} between
     * folders) lies in.
     *
     * @throws IllegalArgumentException naming the folder, when a folder of it is not a Java name
     */
    static String fromPath(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        if (slash < 0) {
            return "";
        }
        String folder = relativePath.substring(0, slash);
        boolean names = Arrays.stream(folder.split("/", -1)).allMatch(f -> SourceVersion.isIdentifier(f) && !SourceVersion.isKeyword(f));
        if (!names) {
            throw new IllegalArgumentException("its folder " + folder + " is not a Java package name (each folder must be a Java"
                    + " name, not a keyword): rename the folder, or set <packageName>");
        }
        return folder.replace('/', '.');
    }

    /** Whether {@code name} can be given as {@code <packageName>}: a Java package name ({@code com.acme}), or empty for the default package. */
    static boolean isValid(String name) {
        return name.isEmpty() || SourceVersion.isName(name);
    }
}
