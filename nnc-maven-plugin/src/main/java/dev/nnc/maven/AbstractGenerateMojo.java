package dev.nnc.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What {@code generate} and {@code generate-test} share: the parameters that are the same for both,
 * checking them, and one {@link Generation} run. The two goals differ only in their folders' defaults
 * (a field each, since Maven reads a default from the field's annotation) and in the kind of source
 * root the output becomes.
 */
abstract class AbstractGenerateMojo extends AbstractMojo {

    /**
     * The Java package of every generated class. When it is not set, each class goes to the package of
     * its {@code .nn} file's folder under the source directory: {@code src/main/nn/com/acme/fraud.nn}
     * becomes {@code com.acme.Fraud}. It must be a Java package name such as {@code com.acme}.
     */
    @Parameter
    String packageName;

    /**
     * The name of the generated class, for an execution that compiles one {@code .nn} file holding
     * one model (choose the file with {@code includes}). When it is not set, each class is named after
     * its model as {@code nnc compile} names it: model {@code fraud_check} becomes {@code FraudCheck}.
     * It must be a Java class name without a package ({@code packageName} sets that).
     */
    @Parameter
    String className;

    /**
     * The files of the source directory to compile, as Ant patterns relative to it (for example
     * {@code com/acme/**}{@code /*.nn}). When it is not set: every {@code .nn} file ({@code **}{@code /*.nn}).
     */
    @Parameter
    List<String> includes;

    /**
     * Files of the source directory to leave out, as Ant patterns relative to it, even when
     * {@code includes} takes them. When it is not set, none (beyond editor backups and version
     * control files, which are never compiled).
     */
    @Parameter
    List<String> excludes;

    /** The project being built, whose source roots the output directory joins (set by Maven). */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /**
     * This execution of the goal (set by Maven): its id names the file in {@code target/nnc-state/}
     * where the goal remembers what it generated, so that the next build compiles only what changed.
     */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    /**
     * Compiles the {@code .nn} files of {@code sourceDirectory} into {@code outputDirectory}, which
     * {@code addSourceRoot} then makes a source root of the kind the goal makes.
     */
    void generate(File sourceDirectory, File outputDirectory, Consumer<String> addSourceRoot)
            throws MojoExecutionException, MojoFailureException {
        if (packageName != null && !PackageNames.isValid(packageName)) {
            throw new MojoExecutionException("<packageName>: '" + packageName + "' is not a Java package name (expected, for"
                    + " example, com.acme: Java names separated by dots, none a keyword)");
        }
        if (className != null && (!javax.lang.model.SourceVersion.isName(className) || className.contains("."))) {
            throw new MojoExecutionException("<className>: '" + className + "' is not a Java class name (expected, for example,"
                    + " FraudModel: letters, digits and underscores, not a keyword, no package)");
        }
        if (sourceDirectory == null) {
            throw new MojoExecutionException("<sourceDirectory> is empty: it must name the folder of the .nn files");
        }
        if (outputDirectory == null) {
            throw new MojoExecutionException("<outputDirectory> is empty: it must name the folder of the generated classes");
        }
        Path output = outputDirectory.toPath();
        Path state = Path.of(project.getBuild().getDirectory(), "nnc-state",
                mojoExecution.getGoal() + "-" + mojoExecution.getExecutionId() + ".txt");
        Generation generation = new Generation(project.getBasedir().toPath(), sourceDirectory.toPath(), output, state,
                packageName, className, includes, excludes, getLog());
        try {
            if (generation.run()) {
                addSourceRoot.accept(output.toAbsolutePath().toString());
            }
        } catch (IOException e) {
            throw new MojoExecutionException("nnc: " + e, e);
        }
    }
}
