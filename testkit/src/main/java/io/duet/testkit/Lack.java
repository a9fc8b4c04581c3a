package io.duet.testkit;

import java.util.Objects;

/**
 * Something a test needs that this machine lacks, as one line: {@code needs WHAT (REMEDY)}, then {@code : DETAIL}
 * when the thing is there but does not work.
 *
 * @param what   the need, short: {@code nft}, {@code root}, {@code curl with HTTP/2}, {@code network namespaces}
 * @param remedy how to get it: {@code Debian package nftables; .ci/run installs it}
 * @param detail what was found instead (a tool on the PATH that does not run), or null when it is simply absent
 */
public record Lack(String what, String remedy, String detail) {
    public Lack {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(remedy, "remedy");
        detail = detail == null ? null : oneLine(detail);
    }

    /** The reason a skipped test gives: one line, no tabs. */
    public String line() {
        return "needs " + what + " (" + remedy + ")" + (detail == null ? "" : ": " + detail);
    }

    /** {@code text} on one line: line breaks and tabs become spaces, runs of blanks one space, at most 200 chars. */
    static String oneLine(String text) {
        String s = text.replaceAll("[\\s]+", " ").trim();
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
