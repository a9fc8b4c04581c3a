package io.duet.config;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The shared field checks of one validation run, without a document around them. */
class ValidationRunTest {

    // Names: blank is missing, control characters are reported, the second use names the first one's path.
    @Test
    void uniqueName() {
        ValidationRun run = new ValidationRun();
        Map<String, String> seen = new HashMap<>();
        run.uniqueName("$.a[0]", "x", seen, "things");
        run.uniqueName("$.a[1]", " ", seen, "things");
        run.uniqueName("$.a[2]", "x", seen, "things");
        run.uniqueName("$.a[3]", "y\n", seen, "things");
        assertThat(run.violations()).extracting(Violation::path, Violation::id).containsExactly(
                tuple("$.a[1].name", "DUET-CONFIG-0011"),
                tuple("$.a[2].name", "DUET-CONFIG-0013"),
                tuple("$.a[3].name", "DUET-CONFIG-0020"));
        assertThat(run.violations().get(1).message()).contains("'x'", "$.a[0]", "unique things");
    }

    // Addresses, CIDR lists, absolute paths, regexes and media types each report at the path they are given.
    @Test
    void fieldChecks() {
        ValidationRun run = new ValidationRun();
        assertThat(run.address("$.a", "a", "10.0.0.1")).isTrue();
        assertThat(run.address("$.b", "b", "backend.example")).isTrue();
        assertThat(run.address("$.c", "c", null)).isFalse();
        assertThat(run.address("$.d", "d", "my_host")).isFalse();
        run.cidrs("$.e", "e", Arrays.asList("10.0.0.0/8", null, "10.0.0.0/33"));
        run.absolutePath("$.f", "f", "/ok");
        run.absolutePath("$.g", "g", "relative");
        run.absolutePath("$.h", "h", "/a\r\nb");
        run.regex("$.i", "i", "a+");
        run.regex("$.j", "j", "(");
        run.mediaTypes("$.k", "k", Arrays.asList("application/json", null, "text", "text/html; charset=utf-8"));
        assertThat(run.violations()).extracting(Violation::path, Violation::id).containsExactly(
                tuple("$.c", "DUET-CONFIG-0011"),
                tuple("$.d", "DUET-CONFIG-0016"),
                tuple("$.e[1]", "DUET-CONFIG-0010"),
                tuple("$.e[2]", "DUET-CONFIG-0017"),
                tuple("$.g", "DUET-CONFIG-0061"),
                tuple("$.h", "DUET-CONFIG-0020"),
                tuple("$.j", "DUET-CONFIG-0019"),
                tuple("$.k[1]", "DUET-CONFIG-0010"),
                tuple("$.k[2]", "DUET-CONFIG-0063"),
                tuple("$.k[3]", "DUET-CONFIG-0063"));
    }

    // Ranges are inclusive at both ends; a timeout is 1 ms to 1 day.
    @Test
    void rangesAndTimeouts() {
        ValidationRun run = new ValidationRun();
        run.range("$.a", "a", 1, 1, 5, "1-5");
        run.range("$.b", "b", 5, 1, 5, "1-5");
        run.range("$.c", "c", 0, 1, 5, "1-5");
        run.range("$.d", "d", 6, 1, 5, "1-5");
        run.timeout("$.e", "e", ValidationRun.ONE_DAY_MS);
        run.timeout("$.f", "f", ValidationRun.ONE_DAY_MS + 1);
        run.timeout("$.g", "g", 0);
        assertThat(run.violations()).extracting(Violation::path).containsExactly("$.c", "$.d", "$.f", "$.g");
        assertThat(run.violations().get(0).message()).isEqualTo("c: 0 (expected: 1-5)");
        assertThat(run.violations().get(2).message()).isEqualTo("f: 86400001 (expected: 1-86400000 ms (1 day))");
    }

    // RFC 9110 tokens and the control characters a value must not hold.
    @Test
    void tokensAndControlCharacters() {
        assertThat(List.of("X-Api-Key", "GET", "a!#$%&'*+-.^_`|~9")).allMatch(ValidationRun::isToken);
        assertThat(Arrays.asList(null, "", "a b", "a:b", "a/b", "é")).noneMatch(ValidationRun::isToken);
        assertThat(Arrays.asList("a\rb", "a\nb", "a\0b")).allMatch(ValidationRun::hasControl);
        assertThat(Arrays.asList(null, "", "a\tb", "plain")).noneMatch(ValidationRun::hasControl);
    }
}
