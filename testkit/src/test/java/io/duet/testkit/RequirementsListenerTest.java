package io.duet.testkit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The listener, on real JUnit runs of the fixture classes below (on a machine with root and openssl, without nft). */
class RequirementsListenerTest {
    @TempDir
    Path tmp;

    /** The machine the fixtures see. */
    static Requirements machine;

    static class Fixture {
        @Test
        void needsNft() {
            machine.tool(Tool.NFT);
        }

        @Test
        void needsRootAndOpenssl() {
            machine.root();
            machine.tool(Tool.OPENSSL);
        }

        @Test
        void needsNothing() {
        }

        @Test
        void otherAssumption() {
            assumeTrue(false, "not today");
        }

        @Disabled("switched off")
        @Test
        void disabled() {
        }

        @Test
        void needsOpensslAndFails() {
            machine.tool(Tool.OPENSSL);
            fail("boom");
        }
    }

    static class LabWithoutNft {
        @BeforeAll
        static void lab() {
            machine.root();
            machine.tool(Tool.NFT);
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    static class LabAsRoot {
        @BeforeAll
        static void lab() {
            machine.root();
        }

        @Test
        void one() {
            machine.tool(Tool.OPENSSL);
        }

        @Test
        void two() {
        }
    }

    // Skips are recorded under the missing need (a class skipped in @BeforeAll as each of its tests) or their own
    // reason; tests that ran (passed or failed) after meeting needs are recorded with each need, including the needs
    // their class met; a test that needed nothing leaves no record.
    @Test
    void recordsSkipsAndWhatRan() throws Exception {
        FakeTools.script(tmp.resolve("bin"), "openssl", "echo 'OpenSSL 3.0.19 27 Jan 2026'");
        machine = new Requirements(tmp.resolve("bin").toString(), true, true);
        Path file = tmp.resolve("target/test-requirements.log");
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Fixture.class),
                selectClass(LabWithoutNft.class), selectClass(LabAsRoot.class)).build(), new RequirementsListener(file));

        List<String> records = RequirementsLog.read(file).stream().map(e -> e.kind() + " " + e.what() + " "
                + shortName(e.test()) + (e.reason().isEmpty() ? "" : " | " + e.reason())).toList();
        String nft = "needs nft (Debian package nftables; .ci/run installs it)";
        assertThat(records).containsExactlyInAnyOrder(
                "SKIPPED nft Fixture#needsNft | " + nft,
                "RAN openssl Fixture#needsRootAndOpenssl",
                "RAN root Fixture#needsRootAndOpenssl",
                "SKIPPED  Fixture#otherAssumption | Assumption failed: not today",
                "SKIPPED  Fixture#disabled | switched off",
                "RAN openssl Fixture#needsOpensslAndFails",
                "SKIPPED nft LabWithoutNft#one | " + nft,
                "SKIPPED nft LabWithoutNft#two | " + nft,
                "RAN openssl LabAsRoot#one",
                "RAN root LabAsRoot#one",
                "RAN root LabAsRoot#two");
    }

    // Without the system property (an IDE run) nothing is written anywhere.
    @Test
    void withoutAFileRecordsNothing() {
        machine = new Requirements(tmp.toString(), false, true);
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(LabWithoutNft.class))
                .build(), new RequirementsListener(null));
        assertThat(tmp.toFile().list()).isEmpty();
    }

    private static String shortName(String uniqueId) {
        Matcher m = Pattern.compile("\\$(\\w+)]/\\[method:(\\w+)\\(").matcher(uniqueId);
        return m.find() ? m.group(1) + "#" + m.group(2) : uniqueId;
    }
}
