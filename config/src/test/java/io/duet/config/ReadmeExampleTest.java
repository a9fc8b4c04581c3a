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

    // The configuration example of the operator's guide (the first yaml block of docs/configuration.md; it was the
    // root README's until the guide moved to docs/) decodes and validates with no error and no warning.
    @Test
    void readmeExampleIsValid() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "configuration.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("docs/configuration.md has a yaml example").isTrue();
        DuetConfig config = ConfigCodec.decode(m.group(1), ConfigCodec.Format.YAML);
        List<Violation> violations = ConfigValidator.validate(config);
        assertThat(violations).isEmpty();
        assertThat(config.virtualHosts().get(0).routes()).hasSize(5);
    }
}
