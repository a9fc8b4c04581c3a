package io.duet.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one validator of configuration documents, used at every boundary (file import, REST edit, Raft apply).
 * Returns every violation with its JSON path and a stable message id; never stops at the first.
 *
 * <p>Never throws on a document the records can hold: nulls anywhere (null list elements included) are reported
 * as violations. The rules and their ids are listed in config/README.md; the ids live in {@link ConfigMessage}.
 *
 * <p>This class walks the document in a fixed order and hands each area to its rule set ({@link ListenerRules},
 * {@link ClusterRules}, {@link CertificateRules}, {@link EdgeRules}, {@link VirtualHostRules} with
 * {@link MatchRules} and {@link ActionRules}, {@link PoolRules} with {@link BalancerRules}, {@link HealthRules},
 * {@link AffinityRules} and {@link ResolveRules}, {@link AdminRules}, {@link TrafficRules}); they share one
 * {@link ValidationRun}.
 */
public final class ConfigValidator {
    private ConfigValidator() {
    }

    /** Every error and warning in the document, errors first. Pure; any thread. */
    public static List<Violation> validate(DuetConfig config) {
        ValidationRun run = new ValidationRun();
        if (config == null) {
            run.add(ConfigMessage.MISSING.at("$", "document", "a configuration object"));
        } else {
            document(run, config);
        }
        List<Violation> found = run.violations();
        List<Violation> sorted = new ArrayList<>(found.size());
        found.stream().filter(Violation::isError).forEach(sorted::add);
        found.stream().filter(v -> !v.isError()).forEach(sorted::add);
        return List.copyOf(sorted);
    }

    /** The document itself when it has no errors (warnings allowed); otherwise the exception lists them all. */
    public static DuetConfig requireValid(DuetConfig config) throws InvalidConfigException {
        List<Violation> all = validate(config);
        if (all.stream().anyMatch(Violation::isError)) {
            throw new InvalidConfigException(all);
        }
        return config;
    }

    /**
     * Parses one entry of a health check's {@code expectStatus}: {@code "200"} or {@code "200-399"} (100-599, low
     * before high). Returns {low, high}, or {@code null} when the entry is not valid.
     */
    public static int[] parseStatusRange(String s) {
        return HealthRules.parseStatusRange(s);
    }

    /**
     * The areas in document order. Certificates follow listeners (which mark the certificates they use) and pools
     * follow virtual hosts (whose routes mark the pools they use), so the "unused" warnings see every use.
     */
    private static void document(ValidationRun run, DuetConfig d) {
        if (d.revision() < 0) {
            run.add(ConfigMessage.OUT_OF_RANGE.at("$.revision", "revision", d.revision(), ">= 0"));
        }
        Set<String> usedCertificates = new HashSet<>();
        ListenerRules.listeners(run, d, usedCertificates);
        ClusterRules.vips(run, d.vips());
        CertificateRules.certificates(run, d.certificates(), usedCertificates);
        EdgeRules.limits(run, "$.limits", d.limits());
        EdgeRules.forwarding(run, "$.forwarding", d.forwarding());
        EdgeRules.accessLog(run, "$.accessLog", d.accessLog());
        Set<String> usedPools = new HashSet<>();
        VirtualHostRules.virtualHosts(run, d, usedPools);
        PoolRules.pools(run, d.pools(), usedPools);
        AdminRules.admin(run, d.admin());
        ClusterRules.failover(run, d.failover());
        TrafficRules.document(run, d);
    }
}
