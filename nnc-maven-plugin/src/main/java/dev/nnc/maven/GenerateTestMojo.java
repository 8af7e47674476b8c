package dev.nnc.maven;

import java.io.File;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Does for the tests what {@code generate} does: compiles every {@code .nn} file of {@code src/test/nn}
 * into a Java model class under {@code target/generated-test-sources/nnc}, which becomes a test source
 * root of the project, so only the tests see the classes.
 */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public final class GenerateTestMojo extends AbstractGenerateMojo {

    /**
     * The folder of the tests' {@code .nn} files; the folders under it are the packages of their
     * classes. When it does not exist the goal does nothing.
     */
    @Parameter(defaultValue = "${project.basedir}/src/test/nn")
    File sourceDirectory;

    /** The folder the generated classes are written to, which becomes a test source root of the project. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/nnc")
    File outputDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        generate(sourceDirectory, outputDirectory, project::addTestCompileSourceRoot);
    }
}
