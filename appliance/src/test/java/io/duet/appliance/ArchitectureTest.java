package io.duet.appliance;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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
            String[] above = java.util.Arrays.copyOfRange(order, 0, i);
            check(noClasses().that().resideInAPackage(order[i])
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .orShould().dependOnClassesThat().resideInAPackage("io.duet.appliance")
                    .allowEmptyShould(false));
        }
        check(noClasses().that().resideInAPackage("io.duet.appliance.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.duet.appliance"));
    }
}
