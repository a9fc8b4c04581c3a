package io.duet.admin;

import io.duet.config.ErrorPage;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The error-pages form offers exactly config's {@link ErrorPage#STATUSES}, in order (ui/pages/error-pages-form.js). */
class ErrorPageStatusesMatchConfigTest {
    private static final String FORM = "ui/pages/error-pages-form.js";

    @Test
    void theFormsStatusesAreConfigs() throws Exception {
        String js;
        try (InputStream in = AdminServer.class.getResourceAsStream(FORM)) {
            assertThat(in).as(FORM + " on the classpath").isNotNull();
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String head = "const ERROR_PAGE_STATUSES = [";
        int from = js.indexOf(head);
        assertThat(from).as(FORM + " declares " + head).isNotNegative();
        Matcher m = Pattern.compile("\\[(\\d{3}),").matcher(js.substring(from + head.length(), js.indexOf("];", from)));
        List<Integer> statuses = new ArrayList<>();
        while (m.find()) {
            statuses.add(Integer.parseInt(m.group(1)));
        }
        assertThat(statuses).isEqualTo(ErrorPage.STATUSES);
    }
}
