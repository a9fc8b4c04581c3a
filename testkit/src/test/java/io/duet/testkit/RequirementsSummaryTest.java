package io.duet.testkit;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.duet.testkit.RequirementsLog.Kind.RAN;
import static io.duet.testkit.RequirementsLog.Kind.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

/** The lines printed at the end of the build. */
class RequirementsSummaryTest {
    static final Path FILE = Path.of("/r/target/test-requirements.log");
    static final String NFT = "needs nft (Debian package nftables; .ci/run installs it)";
    static final String CHROMIUM = "needs chromium (Debian package chromium; .ci/run installs it)";

    static RequirementsLog.Entry e(RequirementsLog.Kind kind, String what, String reason, String test) {
        return new RequirementsLog.Entry(kind, what, reason, test);
    }

    // Ran and skipped, grouped by need with how to get it; a test counted once however many records name it.
    @Test
    void someRanSomeSkipped() {
        List<String> lines = RequirementsSummary.lines(List.of(
                e(RAN, "root", "", "a"), e(RAN, "network namespaces", "", "a"), e(RAN, "openssl", "", "b"),
                e(SKIPPED, "nft", NFT, "c"), e(SKIPPED, "nft", NFT, "d"), e(SKIPPED, "chromium", CHROMIUM, "e"),
                e(SKIPPED, "", "the config module does not ship example.yaml yet", "f")), FILE);
        assertThat(lines).containsExactly(
                "[INFO] ------------------------------------------------------------------------",
                "[INFO] Tests that need root or a tool the machine may lack (records: /r/target/test-requirements.log)",
                "[INFO] Ran 2 tests needing root or a tool: 1 with network namespaces, 1 with openssl, 1 with root",
                "[WARNING] 3 tests skipped because something was missing:",
                "[WARNING]   2 need nft (Debian package nftables; .ci/run installs it)",
                "[WARNING]   1 needs chromium (Debian package chromium; .ci/run installs it)",
                "[WARNING] 1 test skipped for other reasons:",
                "[WARNING]   1: the config module does not ship example.yaml yet",
                "[INFO] ------------------------------------------------------------------------");
    }

    // Everything that needs a tool was skipped: said in so many words.
    @Test
    void noneRan() {
        List<String> lines = RequirementsSummary.lines(List.of(e(SKIPPED, "nft", NFT, "c"),
                e(SKIPPED, "chromium", CHROMIUM, "e")), FILE);
        assertThat(lines).contains("[INFO] Ran 0 tests needing root or a tool",
                "[WARNING] NONE of the tests that need root or a tool ran: all 2 were skipped (above); run .ci/run "
                        + "as root on Debian to run them");
    }

    // Everything ran: no warning at all.
    @Test
    void allRan() {
        List<String> lines = RequirementsSummary.lines(List.of(e(RAN, "nft", "", "c")), FILE);
        assertThat(lines).contains("[INFO] Ran 1 test needing root or a tool: 1 with nft",
                "[INFO] 0 tests skipped because something was missing").noneMatch(l -> l.startsWith("[WARNING]"));
    }
}
