package org.ml2tensor.importers.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The README's list of scikit-learn estimators is the registry's: this fails when a converter is registered
 * (or removed) without updating the list between the {@code estimators:begin/end} markers of README.md.
 */
class ReadmeEstimatorListTest {
    @Test
    void readmeListsExactlyTheRegisteredEstimators() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String begin = "<!-- estimators:begin -->";
        String end = "<!-- estimators:end -->";
        int from = readme.indexOf(begin);
        int to = readme.indexOf(end);
        assertTrue(from >= 0 && to > from, "README.md lacks the estimators:begin/end markers");
        String listed = readme.substring(from + begin.length(), to).strip();
        String registered = String.join(", ", SklearnRegistry.standard().supportedEstimators());
        if (Boolean.getBoolean("ml2tensor.updateReadme") && !registered.equals(listed)) {
            // mvn -pl importers -am test -Dtest=ReadmeEstimatorListTest -Dml2tensor.updateReadme=true
            Files.writeString(Path.of("..", "README.md"), readme.substring(0, from + begin.length()) + "\n"
                    + registered + "\n" + readme.substring(to));
            return;
        }
        assertEquals(registered, listed, "update README.md's estimator list to the registry's (copy this line)");
    }
}
