package dev.nnc.maven;

import java.io.File;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles every {@code .nn} file of {@code src/main/nn} into a Java model class under
 * {@code target/generated-sources/nnc}, which becomes a source root of the project: the class of
 * {@code src/main/nn/com/acme/fraud.nn}, model {@code fraud}, is {@code com.acme.Fraud}. A file with
 * several models gives a class for each. Only files that changed since the last build are compiled
 * again, and the class of a file that is gone is deleted. The classes need
 * {@code dev.nnc:nnc-runtime} as a dependency.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractGenerateMojo {

    /**
     * The folder of the {@code .nn} files; the folders under it are the packages of their classes.
     * When it does not exist the goal does nothing.
     */
    @Parameter(defaultValue = "${project.basedir}/src/main/nn")
    File sourceDirectory;

    /** The folder the generated classes are written to, which becomes a source root of the project. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/nnc")
    File outputDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        generate(sourceDirectory, outputDirectory, project::addCompileSourceRoot);
    }
}
