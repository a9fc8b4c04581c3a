package io.duet.config;

import java.util.List;

import static io.duet.config.ValidationRun.isToken;
import static io.duet.config.ValidationRun.hasControl;
import static io.duet.config.ValidationRun.ONE_TIB;
import static io.duet.config.ValidationRun.ONE_MIB;

/**
 * The rules of the edge settings: request limits and timeouts, forwarding headers and the access log.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class EdgeRules {
    private static final List<String> ACCESS_LOG_FORMATS = List.of("combined", "json");
    private static final List<String> SYSLOG_FORMATS = List.of(Syslog.RFC5424, Syslog.RFC3164);

    private EdgeRules() {
    }

    static void limits(ValidationRun run, String p, Limits l) {
        run.range(p + ".maxRequestLineBytes", "maxRequestLineBytes", l.maxRequestLineBytes(), 256, ONE_MIB,
                "256-1048576 (1 MiB)");
        run.range(p + ".maxHeaderBytes", "maxHeaderBytes", l.maxHeaderBytes(), 1024, ONE_MIB,
                "1024-1048576 (1 KiB-1 MiB)");
        if (l.maxHeaderBytes() < l.maxRequestLineBytes() && l.maxHeaderBytes() >= 1024
                && l.maxRequestLineBytes() >= 256 && l.maxRequestLineBytes() <= ONE_MIB) {
            run.add(ConfigMessage.LIMIT_ORDER.at(p + ".maxHeaderBytes", l.maxHeaderBytes(), l.maxRequestLineBytes()));
        }
        run.range(p + ".maxHeaderCount", "maxHeaderCount", l.maxHeaderCount(), 1, 10_000, "1-10000");
        run.range(p + ".maxBodyBytes", "maxBodyBytes", l.maxBodyBytes(), 0, ONE_TIB, "0-1099511627776 (1 TiB)");
        run.timeout(p + ".headerTimeoutMs", "headerTimeoutMs", l.headerTimeoutMs());
        run.timeout(p + ".idleTimeoutMs", "idleTimeoutMs", l.idleTimeoutMs());
        run.timeout(p + ".bodyTimeoutMs", "bodyTimeoutMs", l.bodyTimeoutMs());
        run.range(p + ".minBodyBytesPerSecond", "minBodyBytesPerSecond", l.minBodyBytesPerSecond(), 0, ONE_MIB * 1024L,
                "0-1073741824 (0 disables the check)");
        run.range(p + ".maxConnectionsPerListener", "maxConnectionsPerListener", l.maxConnectionsPerListener(),
                1, 1_000_000, "1-1000000");
        run.timeout(p + ".backendConnectTimeoutMs", "backendConnectTimeoutMs", l.backendConnectTimeoutMs());
        run.timeout(p + ".backendResponseTimeoutMs", "backendResponseTimeoutMs", l.backendResponseTimeoutMs());
    }

    static void forwarding(ValidationRun run, String p, Forwarding f) {
        run.cidrs(p + ".trustedProxies", "trustedProxies", f.trustedProxies());
        if (!f.requestIdHeader().isEmpty() && !isToken(f.requestIdHeader())) {
            run.add(ConfigMessage.INVALID_TOKEN.at(p + ".requestIdHeader", "requestIdHeader", f.requestIdHeader(),
                    "a header name such as X-Request-Id, or empty to disable request ids"));
        }
    }

    static void accessLog(ValidationRun run, String p, AccessLog a) {
        if (!ACCESS_LOG_FORMATS.contains(a.format())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".format", "format", a.format(),
                    String.join(", ", ACCESS_LOG_FORMATS)));
        }
        if (a.path() != null && a.syslog() != null) {
            run.add(ConfigMessage.NOT_EXACTLY_ONE.at(p, "accessLog", "path, syslog set", "path, syslog"));
        }
        if (a.path() != null) {
            if (a.path().isBlank()) {
                run.add(ConfigMessage.MISSING.at(p + ".path", "path", "a file path, or - for standard output"));
            } else if (hasControl(a.path())) {
                run.add(ConfigMessage.CONTROL_CHARACTER.at(p + ".path", "path"));
            }
        }
        if (a.syslog() != null) {
            syslog(run, p + ".syslog", a.syslog());
        }
    }

    private static void syslog(ValidationRun run, String p, Syslog s) {
        if (s.address() == null || s.address().isBlank()) {
            run.add(ConfigMessage.MISSING.at(p + ".address", "address",
                    "udp://host:port, or unix:///path such as unix:///dev/log"));
        } else if (SyslogAddress.parse(s.address()).isEmpty()) {
            run.add(ConfigMessage.SYSLOG_ADDRESS.at(p + ".address", s.address()));
        }
        if (!SYSLOG_FORMATS.contains(s.format())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".format", "format", s.format(),
                    String.join(", ", SYSLOG_FORMATS)));
        }
        if (s.facilityCode() < 0) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".facility", "facility", s.facility(),
                    String.join(", ", Syslog.FACILITIES)));
        }
        if (!isSyslogTag(s.tag())) {
            run.add(ConfigMessage.INVALID_TOKEN.at(p + ".tag", "tag", s.tag(),
                    "1-32 letters, digits, '.', '_' or '-'"));
        }
        run.range(p + ".maxLength", "maxLength", s.maxLength(), 480, 65_507,
                "480-65507 bytes (RFC 5424's minimum to the largest UDP datagram)");
        if (s.hostname() != null && !isSyslogHostname(s.hostname())) {
            run.add(ConfigMessage.INVALID_HOSTNAME.at(p + ".hostname", "hostname", s.hostname(),
                    "1-255 printable ASCII characters without spaces"));
        }
    }

    private static boolean isSyslogTag(String tag) {
        if (tag.isEmpty() || tag.length() > 32) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSyslogHostname(String h) {
        if (h.isEmpty() || h.length() > 255) {
            return false;
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c < 33 || c > 126) {
                return false;
            }
        }
        return true;
    }
}
