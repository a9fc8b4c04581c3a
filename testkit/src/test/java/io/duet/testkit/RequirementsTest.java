package io.duet.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks tests call: a skip (JUnit assumption) with the one-line reason when unmet, quiet when met, cached. */
class RequirementsTest {
    @TempDir
    Path tmp;

    // A missing tool aborts the test as skipped (TestAbortedException, not an AssertionError) with the reason.
    @Test
    void missingToolSkips() {
        Requirements r = new Requirements(tmp.toString(), true, false);
        assertThatThrownBy(() -> r.tool(Tool.RPMLINT))
                .isInstanceOf(TestAbortedException.class).isInstanceOf(RequirementNotMet.class)
                .hasMessage("needs rpmlint (Debian package rpmlint; .ci/run installs it)");
    }

    // A present tool passes and gives its path.
    @Test
    void presentToolPasses() throws Exception {
        Path rpmlint = FakeTools.script(tmp, "rpmlint", "echo 2.4.0");
        assertThat(new Requirements(tmp.toString(), false, false).tool(Tool.RPMLINT)).isEqualTo(rpmlint);
    }

    // Each need is probed once per JVM (per instance): the second check answers from the cache.
    @Test
    void probedOnce() throws Exception {
        Path calls = tmp.resolve("calls");
        FakeTools.script(tmp.resolve("bin"), "unshare", "echo run >> " + calls + "; echo 'unshare from util-linux 2.38.1'");
        Requirements r = new Requirements(tmp.resolve("bin").toString(), false, false);
        r.tool(Tool.UNSHARE);
        r.tool(Tool.UNSHARE);
        Files.delete(tmp.resolve("bin/unshare"));
        r.tool(Tool.UNSHARE);
        assertThat(Files.readAllLines(calls)).hasSize(1);

        Requirements none = new Requirements(tmp.resolve("empty").toString(), false, false);
        assertThatThrownBy(() -> none.tool(Tool.UNSHARE)).isInstanceOf(RequirementNotMet.class);
        FakeTools.script(tmp.resolve("empty"), "unshare", "echo 'unshare from util-linux 2.38.1'");
        assertThatThrownBy(() -> none.tool(Tool.UNSHARE)).as("a lack is cached too").isInstanceOf(RequirementNotMet.class);
    }

    @Test
    void root() {
        new Requirements("", true, false).root();
        assertThatThrownBy(() -> new Requirements("", false, false).root()).isInstanceOf(RequirementNotMet.class)
                .hasMessage("needs root (run the build as root, as .ci/run does)");
    }

    // Network namespaces need root first, then ip, then a namespace that can really be made (a container may refuse).
    @Test
    void networkNamespaces() throws Exception {
        assertThatThrownBy(() -> new Requirements(tmp.toString(), false, false).networkNamespaces())
                .hasMessage("needs root (run the build as root, as .ci/run does)");
        assertThatThrownBy(() -> new Requirements(tmp.toString(), true, false).networkNamespaces())
                .hasMessage("needs ip (Debian package iproute2; .ci/run installs it)");

        FakeTools.script(tmp, "ip", """
                case "$1" in
                  -V) echo 'ip utility, iproute2-6.1.0, libbpf 1.1.2' ;;
                  netns) echo 'mount --make-shared /run/netns failed: Operation not permitted' >&2; exit 1 ;;
                esac""");
        assertThatThrownBy(() -> new Requirements(tmp.toString(), true, false).networkNamespaces())
                .isInstanceOf(RequirementNotMet.class)
                .hasMessageStartingWith("needs network namespaces (root with CAP_SYS_ADMIN and CAP_NET_ADMIN, "
                        + "outside an unprivileged container, as .ci/run runs): `" + tmp.resolve("ip")
                        + " netns add duet-probe-")
                .hasMessageEndingWith("exits 1: mount --make-shared /run/netns failed: Operation not permitted");

        Path log = tmp.resolve("ip.log");
        FakeTools.script(tmp.resolve("ok"), "ip", "echo \"$*\" >> " + log + "; echo 'ip utility, iproute2-6.1.0'");
        new Requirements(tmp.resolve("ok").toString(), true, false).networkNamespaces();
        assertThat(Files.readAllLines(log)).hasSize(4).element(1).asString().startsWith("netns add duet-probe-");
        assertThat(Files.readAllLines(log).get(3)).startsWith("netns del duet-probe-");
    }

    @Test
    void effectiveUid() {
        assertThat(Requirements.effectiveUid("Name:\tjava\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n"))
                .isZero();
        assertThat(Requirements.effectiveUid("Uid:\t0\t1000\t1000\t1000\n")).isEqualTo(1000);
    }
}
