package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import org.junit.jupiter.api.Test;

/** The class data archive is only for a JVM started from one jar that exists. */
class ClassArchiveTest {

    @Test
    void noArchiveWithoutOneExistingJar() {
        assertNull(ClassArchive.forClassPath("target/classes"), "a folder");
        assertNull(ClassArchive.forClassPath("a.jar" + File.pathSeparator + "b.jar"), "two entries");
        assertNull(ClassArchive.forClassPath("no/such/nnc.jar"), "a jar that is not there");
        assertNull(ClassArchive.forClassPath(null));
    }
}
