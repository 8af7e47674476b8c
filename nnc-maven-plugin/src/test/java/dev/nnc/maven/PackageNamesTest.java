package dev.nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PackageNamesTest {

    @ParameterizedTest
    @CsvSource({"com/acme/fraud.nn, com.acme", "fraud.nn, ''", "a/b/c/d.nn, a.b.c", "com/Acme_2/$x/m.nn, com.Acme_2.$x"})
    void thePackageIsTheFolder(String path, String expected) {
        assertEquals(expected, PackageNames.fromPath(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"my-models/x.nn", "com/int/x.nn", "com/2acme/x.nn", "com/acme.v2/x.nn", "com//x.nn"})
    void aFolderThatIsNoJavaNameIsAnErrorNamingIt(String path) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackageNames.fromPath(path));
        String folder = path.substring(0, path.lastIndexOf('/'));
        assertTrue(e.getMessage().contains("its folder " + folder + " is not a Java package name"), e.getMessage());
        assertTrue(e.getMessage().contains("<packageName>"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.acme", "x", "", "dev.nnc.models"})
    void validPackageNames(String name) {
        assertTrue(PackageNames.isValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.acme.", ".com", "com..acme", "com.class", "com-acme", "1com", "com acme"})
    void invalidPackageNames(String name) {
        assertFalse(PackageNames.isValid(name));
    }
}
