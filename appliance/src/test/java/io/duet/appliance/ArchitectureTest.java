package io.duet.appliance;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The map of docs/architecture.md, checked on the compiled main classes of every module: the arrows allowed between
 * modules, the layers inside {@code appliance} and {@code proxy}, and no cycle between any two packages of Duet.
 * When this fails, either the code took a wrong turn or the map is out of date: fix the one that is wrong, and the
 * other in the same commit.
 */
class ArchitectureTest {
    private static JavaClasses duet;

    @BeforeAll
    static void importClasses() {
        duet = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // Duet's modules are directories in an IDE and jars in a Maven build; no other jar.
                .withImportOption(location -> !location.isJar()
                        || location.contains("/duet-") && !location.contains("-tests.jar"))
                .importPackages("io.duet");
        // Without every module on the class path the rules below would pass on nothing.
        for (String module : new String[] {"config", "tls", "proxy", "cluster", "admin", "appliance", "testkit"}) {
            if (duet.stream().noneMatch(c -> c.getPackageName().startsWith("io.duet." + module))) {
                throw new AssertionError("no class of io.duet." + module + " was imported");
            }
        }
    }

    private static void check(ArchRule rule) {
        rule.check(duet);
    }

    // ---- modules ------------------------------------------------------------------------------------------------

    @Test
    void configDependsOnNoOtherModule() {
        check(noClasses().that().resideInAPackage("io.duet.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.duet.tls..", "io.duet.proxy..",
                        "io.duet.cluster..", "io.duet.admin..", "io.duet.appliance..", "io.duet.testkit..")
                .because("config holds the document's records, codec and validator and nothing else of Duet"));
    }

    @Test
    void tlsDependsOnNoOtherModule() {
        check(noClasses().that().resideInAPackage("io.duet.tls..")
                .should().dependOnClassesThat().resideInAnyPackage("io.duet.config..", "io.duet.proxy..",
                        "io.duet.cluster..", "io.duet.admin..", "io.duet.appliance..", "io.duet.testkit..")
                .because("tls is Bouncy Castle behind Duet's own small API"));
    }

    @Test
    void proxyUsesOnlyConfigAndTls() {
        check(noClasses().that().resideInAPackage("io.duet.proxy..")
                .should().dependOnClassesThat().resideInAnyPackage("io.duet.cluster..", "io.duet.admin..",
                        "io.duet.appliance..", "io.duet.testkit..")
                .because("the data plane serves a document; it knows nothing of Raft, the admin API or the node"));
    }

    @Test
    void clusterKnowsNothingElseOfDuet() {
        check(noClasses().that().resideInAPackage("io.duet.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("io.duet.config..", "io.duet.proxy..",
                        "io.duet.admin..", "io.duet.appliance..", "io.duet.testkit..")
                .because("cluster replicates opaque, versioned documents and VIP names, and keeps the membership "
                        + "(identity, join protocol, tokens); it may use tls"));
    }

    @Test
    void adminUsesOnlyConfigTlsAndCluster() {
        check(noClasses().that().resideInAPackage("io.duet.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("io.duet.proxy..", "io.duet.appliance..",
                        "io.duet.testkit..")
                .because("the admin listener edits the document; the node hands it views of the rest"));
    }

    @Test
    void nothingShippedDependsOnTheTestKit() {
        check(noClasses().that().resideOutsideOfPackage("io.duet.testkit..")
                .should().dependOnClassesThat().resideInAPackage("io.duet.testkit.."));
    }

    // ---- packages -----------------------------------------------------------------------------------------------

    @Test
    void noPackageCycles() {
        check(slices().matching("io.duet.(**)").should().beFreeOfCycles());
    }

    @Test
    void applianceLayers() {
        // Main -> cli -> node -> pair -> bootstrap: each may use those to its right only.
        String[] order = {"io.duet.appliance.cli..", "io.duet.appliance.node..", "io.duet.appliance.pair..",
                "io.duet.appliance.bootstrap.."};
        for (int i = 1; i < order.length; i++) {
            String[] above = Arrays.copyOfRange(order, 0, i);
            check(noClasses().that().resideInAPackage(order[i])
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .orShould().dependOnClassesThat().resideInAPackage("io.duet.appliance")
                    .allowEmptyShould(false));
        }
        check(noClasses().that().resideInAPackage("io.duet.appliance.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.duet.appliance"));
    }

    /**
     * The proxy's packages and the ones each may use (docs/architecture.md); "" is io.duet.proxy itself. Every
     * package may also use {@link #PROXY_ANYWHERE}.
     */
    private static final Map<String, List<String>> PROXY = Map.ofEntries(
            Map.entry("", List.of("runtime", "tls", "edge", "accesslog", "affinity", "balance",
                    "health", "metrics", "pool", "resolve", "ratelimit")),
            Map.entry("runtime", List.of("routing", "action", "forward", "affinity", "health",
                    "edge", "accesslog", "pool", "metrics", "response", "access", "ratelimit")),
            Map.entry("access", List.of("action", "metrics", "response")),
            Map.entry("ratelimit", List.of("metrics", "response")),
            Map.entry("tls", List.of("edge")),
            Map.entry("routing", List.of("metrics")),
            Map.entry("action", List.of("edge", "response")),
            Map.entry("health", List.of("action", "pool", "resolve", "metrics")),
            Map.entry("forward", List.of("affinity", "balance", "pool", "health", "edge", "http1",
                    "metrics", "response")),
            Map.entry("affinity", List.of("pool")),
            Map.entry("balance", List.of("pool")),
            Map.entry("pool", List.of("resolve", "metrics")),
            Map.entry("edge", List.of("http1", "response")),
            Map.entry("response", List.of()),
            Map.entry("accesslog", List.of()),
            Map.entry("metrics", List.of()),
            Map.entry("http1", List.of()),
            Map.entry("resolve", List.of()),
            Map.entry("message", List.of()),
            Map.entry("request", List.of()));

    /**
     * Leaf packages every package of the proxy may use: the message catalogue ({@code ProxyMessage}) and the
     * request's context ({@code RequestContext}, which every layer reads).
     */
    private static final List<String> PROXY_ANYWHERE = List.of("message", "request");

    @Test
    void proxyPackagesUseOnlyTheirArrows() {
        Set<String> known = new TreeSet<>();
        duet.stream().map(c -> c.getPackageName()).filter(n -> n.startsWith("io.duet.proxy"))
                .forEach(n -> known.add(n.equals("io.duet.proxy") ? "" : n.substring("io.duet.proxy.".length())));
        assertThat(PROXY.keySet())
                .as("every package of proxy has its line in docs/architecture.md and here").containsAll(known);
        for (Map.Entry<String, List<String>> e : PROXY.entrySet()) {
            String from = e.getKey().isEmpty() ? "io.duet.proxy" : "io.duet.proxy." + e.getKey();
            Set<String> allowed = new HashSet<>();
            allowed.add(from);
            e.getValue().forEach(to -> allowed.add("io.duet.proxy." + to));
            PROXY_ANYWHERE.forEach(to -> allowed.add("io.duet.proxy." + to));
            check(classes().that().resideInAPackage(from)
                    .should().onlyDependOnClassesThat(DescribedPredicate.describe(
                            "outside io.duet.proxy or in " + allowed,
                            c -> !c.getPackageName().startsWith("io.duet.proxy")
                                    || allowed.contains(c.getPackageName())))
                    .allowEmptyShould(true));
        }
    }
}
