package io.duet.proxy.tls;

import io.duet.config.TlsCertificate;
import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the {@code openssl} binary (the tls module's Bouncy Castle issuer is not available
 * here): one CA, leaf certificates signed by it, unencrypted PKCS#8 keys. Also runs curl and openssl for tests. Skips
 * the calling test, saying why, without the openssl command; tests that run curl check for it themselves.
 */
final class TestPki {
    final Path dir;
    private int serial;

    TestPki(Path dir) throws Exception {
        Requirements.requireTool(Tool.OPENSSL);
        this.dir = dir;
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "3", "-subj", "/CN=Duet Test CA"));
    }

    /**
     * A leaf certificate signed by the CA.
     *
     * @param keyType "ec" (P-256) or "rsa" (2048)
     * @param sans    subjectAltName entries, e.g. {@code DNS:www.a.test}, {@code IP:127.0.0.1}
     */
    TlsCertificate issue(String name, String keyType, int days, String... sans) throws Exception {
        String base = name + "-" + (++serial);
        List<String> newKey = keyType.equals("rsa")
                ? List.of("-newkey", "rsa:2048") : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        List<String> req = new ArrayList<>(List.of("openssl", "req"));
        req.addAll(newKey);
        req.addAll(List.of("-nodes", "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=" + name));
        run(req);
        Files.writeString(dir.resolve(base + ".ext"), "subjectAltName=" + String.join(",", sans) + "\n");
        run(List.of("openssl", "x509", "-req", "-in", base + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-set_serial", String.valueOf(1000 + serial), "-out", base + ".pem", "-days", String.valueOf(days),
                "-extfile", base + ".ext"));
        return new TlsCertificate(name, Files.readString(dir.resolve(base + ".pem")),
                Files.readString(dir.resolve(base + ".key")));
    }

    Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** A client SSLContext trusting only the test CA. */
    SSLContext clientContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(caFile()))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** Runs a command in the PKI directory; its combined output. Fails on a non-zero exit. */
    String run(List<String> command) throws Exception {
        Result r = exec(command, null);
        if (r.exit != 0) {
            throw new AssertionError(command + " failed (" + r.exit + "): " + r.output);
        }
        return r.output;
    }

    record Result(int exit, String output) {
    }

    /** Runs a command with a 20 s timeout, stdin from {@code input} (or closed); exit code and combined output. */
    Result exec(List<String> command, String input) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
        }
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 20 s");
        }
        reader.join(5000);
        return new Result(p.exitValue(), new String(out[0] == null ? new byte[0] : out[0], StandardCharsets.UTF_8));
    }
}
