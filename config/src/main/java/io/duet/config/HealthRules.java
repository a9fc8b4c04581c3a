package io.duet.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.duet.config.ValidationRun.isToken;
import static io.duet.config.ValidationRun.hasControl;
import static io.duet.config.ValidationRun.ONE_DAY_MS;

/**
 * The rules of a pool's health: active checks, passive outlier detection, slow start and the panic threshold
 * (DUET-CONFIG-0130..0149).
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class HealthRules {
    private static final Pattern STATUS_RANGE = Pattern.compile("\\s*([0-9]{3})\\s*(?:-\\s*([0-9]{3})\\s*)?");

    private HealthRules() {
    }

    static void activeCheck(ValidationRun run, String p, HealthCheck hc) {
        if (hc != null) {
            String hp = p + ".healthCheck";
            if (!HealthCheck.TYPES.contains(hc.type())) {
                run.add(ConfigMessage.NOT_ONE_OF.at(hp + ".type", "type", hc.type(),
                        String.join(", ", HealthCheck.TYPES)));
            }
            run.range(hp + ".intervalMs", "intervalMs", hc.intervalMs(), 10, ONE_DAY_MS, "10-86400000 ms (1 day)");
            run.timeout(hp + ".timeoutMs", "timeoutMs", hc.timeoutMs());
            if (hc.timeoutMs() >= hc.intervalMs()) {
                run.add(ConfigMessage.CHECK_TIMEOUT_NOT_BELOW_INTERVAL.at(hp + ".timeoutMs", hc.timeoutMs(),
                        hc.intervalMs()));
            }
            run.range(hp + ".rise", "rise", hc.rise(), 1, 100, "1-100");
            run.range(hp + ".fall", "fall", hc.fall(), 1, 100, "1-100");
            run.range(hp + ".jitterPercent", "jitterPercent", hc.jitterPercent(), 0, 50, "0-50");
            if (hc.port() != null) {
                run.range(hp + ".port", "port", hc.port(), 1, 65535, "1-65535");
            }
            if (HealthCheck.TCP.equals(hc.type())) {
                for (String f : new String[]{"host", "bodyRegex", "https"}) {
                    Object v = f.equals("host") ? hc.host() : f.equals("bodyRegex") ? hc.bodyRegex()
                            : (hc.https() ? Boolean.TRUE : null);
                    if (v != null) {
                        run.add(ConfigMessage.CHECK_FIELD_UNUSED.at(hp + "." + f, f));
                    }
                }
            } else {
                if (!isToken(hc.method()) || !hc.method().equals(hc.method().toUpperCase(Locale.ROOT))) {
                    run.add(ConfigMessage.INVALID_METHOD.at(hp + ".method", "method", hc.method()));
                }
                run.absolutePath(hp + ".path", "path", hc.path());
                if (hc.host() != null && (hc.host().isBlank() || hasControl(hc.host())
                        || !HostName.isAddress(hc.host().replaceFirst(":[0-9]{1,5}$", "")))) {
                    run.add(ConfigMessage.INVALID_CHECK_HOST.at(hp + ".host", "host", hc.host()));
                }
                for (int i = 0; i < hc.expectStatus().size(); i++) {
                    String v = hc.expectStatus().get(i);
                    if (parseStatusRange(v) == null) {
                        run.add(ConfigMessage.INVALID_STATUS_SET.at(hp + ".expectStatus[" + i + "]",
                                "expectStatus[" + i + "]", v));
                    }
                }
                if (hc.bodyRegex() != null) {
                    run.regex(hp + ".bodyRegex", "bodyRegex", hc.bodyRegex());
                }
            }
            if (hc.verifyTls() && !hc.https()) {
                run.add(ConfigMessage.VERIFY_WITHOUT_HTTPS.at(hp + ".verifyTls"));
            }
        }
    }

    static void outlierDetection(ValidationRun run, String p, OutlierDetection od) {
        if (od != null) {
            String op = p + ".outlierDetection";
            run.range(op + ".consecutiveFailures", "consecutiveFailures", od.consecutiveFailures(), 1, 1000,
                    "1-1000");
            run.timeout(op + ".baseEjectionMs", "baseEjectionMs", od.baseEjectionMs());
            run.timeout(op + ".maxEjectionMs", "maxEjectionMs", od.maxEjectionMs());
            if (od.maxEjectionMs() < od.baseEjectionMs()) {
                run.add(ConfigMessage.EJECTION_ORDER.at(op + ".maxEjectionMs", od.maxEjectionMs(),
                        od.baseEjectionMs()));
            }
            run.range(op + ".maxEjectionPercent", "maxEjectionPercent", od.maxEjectionPercent(), 0, 100, "0-100");
        }
    }

    static void slowStartAndPanic(ValidationRun run, String p, Pool pool) {
        run.range(p + ".slowStartMs", "slowStartMs", pool.slowStartMs(), 0, ONE_DAY_MS, "0-86400000 ms (1 day)");
        run.range(p + ".panicThresholdPercent", "panicThresholdPercent", pool.panicThresholdPercent(), 0, 100,
                "0-100");
    }

    /** See {@link ConfigValidator#parseStatusRange}. */
    static int[] parseStatusRange(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = STATUS_RANGE.matcher(s);
        if (!m.matches()) {
            return null;
        }
        int lo = Integer.parseInt(m.group(1));
        int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
        return lo < 100 || hi > 599 || lo > hi ? null : new int[]{lo, hi};
    }
}
