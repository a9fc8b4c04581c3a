package io.duet.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeExampleTest {

    // The configuration example in the root README decodes and validates with no error and no warning.
    @Test
    void readmeExampleIsValid() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README has a yaml example").isTrue();
        DuetConfig config = ConfigCodec.decode(m.group(1), ConfigCodec.Format.YAML);
        List<Violation> violations = ConfigValidator.validate(config);
        assertThat(violations).isEmpty();
        assertThat(config.virtualHosts().get(0).routes()).hasSize(5);
    }
}
