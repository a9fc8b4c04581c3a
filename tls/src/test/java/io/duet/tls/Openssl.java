package io.duet.tls;

import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate material made by the {@code openssl} binary, in the formats operators bring: a root CA, an
 * intermediate CA and leaves signed by the intermediate. Runs commands in one directory. Skips the calling test,
 * saying why, without the openssl command.
 */
final class Openssl {
    final Path dir;
    private int serial = 100;

    Openssl(Path dir) throws Exception {
        Requirements.requireTool(Tool.OPENSSL);
        this.dir = dir;
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "root.key", "-out", "root.pem", "-days", "30", "-subj", "/CN=Duet Test Root");
        Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "inter.key", "-out", "inter.csr", "-subj", "/CN=Duet Test Intermediate");
        run("openssl", "x509", "-req", "-in", "inter.csr", "-CA", "root.pem", "-CAkey", "root.key",
                "-set_serial", "2", "-out", "inter.pem", "-days", "30", "-extfile", "ca.ext");
    }

    /**
     * A key and a leaf signed by {@code issuer} ("inter" or "root").
     *
     * @param keyArgs  arguments of {@code openssl genpkey} or a ready key command, e.g.
     *                 {@code -algorithm RSA -pkeyopt rsa_keygen_bits:2048}
     * @param ext      the extension file text (subjectAltName=..., extendedKeyUsage=...)
     * @param digest   e.g. {@code -sha256}
     * @return the base name: {@code <base>.key} (PKCS#8 PEM) and {@code <base>.pem}
     */
    String leaf(String cn, String issuer, String ext, String digest, String... keyArgs) throws Exception {
        String base = "leaf" + (++serial);
        List<String> gen = new ArrayList<>(List.of("openssl", "genpkey"));
        gen.addAll(List.of(keyArgs));
        gen.addAll(List.of("-out", base + ".key"));
        run(gen.toArray(new String[0]));
        run("openssl", "req", "-new", "-key", base + ".key", "-out", base + ".csr", "-subj", "/CN=" + cn);
        Files.writeString(dir.resolve(base + ".ext"), ext);
        run("openssl", "x509", "-req", "-in", base + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
                "-set_serial", String.valueOf(serial), "-out", base + ".pem", "-days", "20", digest,
                "-extfile", base + ".ext");
        return base;
    }

    String rsaLeaf(String cn, String sans) throws Exception {
        return leaf(cn, "inter", "subjectAltName=" + sans + "\n", "-sha256",
                "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
    }

    String ecLeaf(String cn, String sans, String curve) throws Exception {
        return leaf(cn, "inter", "subjectAltName=" + sans + "\n", "-sha256",
                "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve);
    }

    String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    byte[] bytes(String file) {
        try {
            return Files.readAllBytes(dir.resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs a command in the directory; its output. Fails on a non-zero exit or after 30 s. */
    String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + text);
        }
        return text;
    }
}
