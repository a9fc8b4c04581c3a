package io.duet.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Tool detection on a PATH the test controls. */
class ToolTest {
    @TempDir
    Path tmp;

    // Not on the PATH: the one-line reason names the tool and how to get it, nothing more.
    @Test
    void absentTool() {
        Outcome o = Tool.NFT.detect(tmp.resolve("empty") + ":" + tmp.resolve("also-empty"));
        assertThat(o.isMet()).isFalse();
        assertThat(o.lack().line()).isEqualTo("needs nft (Debian package nftables; .ci/run installs it)");
    }

    // On the PATH and answering its version command as expected: met, with its absolute path.
    @Test
    void presentTool() throws Exception {
        Path nft = FakeTools.script(tmp.resolve("bin"), "nft", "echo 'nftables v1.0.6 (Lester Gooch #5)'");
        Outcome o = Tool.NFT.detect(tmp.resolve("empty") + "::" + tmp.resolve("bin"));
        assertThat(o.isMet()).isTrue();
        assertThat(o.executable()).isEqualTo(nft);
    }

    // There but broken (a missing library, a wrapper whose target is gone): a lack that says what it printed.
    @Test
    void toolThatDoesNotRun() throws Exception {
        FakeTools.script(tmp.resolve("bin"), "chromedriver",
                "echo 'error while loading shared libraries: libnss3.so' >&2; exit 127");
        Outcome o = Tool.CHROMEDRIVER.detect(tmp.resolve("bin").toString());
        assertThat(o.isMet()).isFalse();
        assertThat(o.lack().what()).isEqualTo("chromedriver");
        assertThat(o.lack().line()).startsWith("needs chromedriver (Debian package chromium-driver; .ci/run installs "
                + "it): " + tmp.resolve("bin/chromedriver") + " is there but `chromedriver --version` exits 127: "
                + "error while loading shared libraries: libnss3.so").doesNotContain("\n");
    }

    // A file without the execute bit is not a program, as for a shell.
    @Test
    void notExecutable() throws Exception {
        Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(tmp.resolve("bin/rpm"), "#!/bin/sh\necho 'RPM version 4.18.0'\n");
        Outcome o = Tool.RPM.detect(tmp.resolve("bin").toString());
        assertThat(o.lack().line()).isEqualTo("needs rpm (Debian package rpm; .ci/run installs it): "
                + tmp.resolve("bin/rpm") + " is there but not executable");
    }

    // The first match on the PATH is the one tests would run: a broken one shadows a good one further on.
    @Test
    void firstOnThePathCounts() throws Exception {
        FakeTools.script(tmp.resolve("a"), "openssl", "exit 1");
        FakeTools.script(tmp.resolve("b"), "openssl", "echo 'OpenSSL 3.0.19 27 Jan 2026'");
        assertThat(Tool.OPENSSL.detect(tmp.resolve("a") + ":" + tmp.resolve("b")).isMet()).isFalse();
        assertThat(Tool.OPENSSL.detect(tmp.resolve("b") + ":" + tmp.resolve("a")).isMet()).isTrue();
    }

    // curl counts only with HTTP2 among its features (an nghttp2 in the version line is not enough).
    @Test
    void curlNeedsHttp2() throws Exception {
        String version = "echo 'curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.19 nghttp2/1.52.0'; "
                + "echo 'Protocols: http https'; ";
        FakeTools.script(tmp.resolve("without"), "curl", version + "echo 'Features: alt-svc IPv6 SSL'");
        FakeTools.script(tmp.resolve("with"), "curl", version + "echo 'Features: alt-svc HTTP2 IPv6 SSL'");
        Outcome without = Tool.CURL.detect(tmp.resolve("without").toString());
        assertThat(without.lack().line()).startsWith("needs curl with HTTP/2 (Debian package curl; .ci/run installs "
                + "it): " + tmp.resolve("without/curl") + " is there but `curl --version` does not show what is "
                + "needed (its Features line lists HTTP2)");
        assertThat(Tool.CURL.detect(tmp.resolve("with").toString()).isMet()).isTrue();
    }

    // An arping that is not iputils' (Debian's package arping) takes other options: not the tool the tests need.
    @Test
    void arpingMustBeIputils() throws Exception {
        FakeTools.script(tmp.resolve("other"), "arping", "echo 'ARPing 2.23, by Thomas Habets'");
        FakeTools.script(tmp.resolve("iputils"), "arping", "echo 'arping from iputils 20221126'");
        assertThat(Tool.ARPING.detect(tmp.resolve("other").toString()).lack().what())
                .isEqualTo("arping from iputils");
        assertThat(Tool.ARPING.detect(tmp.resolve("iputils").toString()).isMet()).isTrue();
    }

    // The version command runs with the controlled PATH: a wrapper that needs something else on it fails here.
    @Test
    void versionCommandSeesTheSamePath() throws Exception {
        FakeTools.script(tmp.resolve("bin"), "chromium", "exec chromium-real --version");
        assertThat(Tool.CHROMIUM.detect(tmp.resolve("bin").toString()).isMet()).isFalse();
        FakeTools.script(tmp.resolve("bin"), "chromium-real", "echo 'Chromium 131.0.6778.85 built on Debian'");
        assertThat(Tool.CHROMIUM.detect(tmp.resolve("bin").toString()).isMet()).isTrue();
    }
}
