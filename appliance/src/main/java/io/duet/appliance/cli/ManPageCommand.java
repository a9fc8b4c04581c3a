package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code duet manpage}: prints duet(1) in roff, made from the same command tree as {@code --help}, so the manual can
 * never miss a command. The RPM build writes it to {@code /usr/share/man/man1/duet.1.gz}. Hidden from the command
 * list; deterministic (no date), so the RPM stays reproducible.
 */
@Command(name = "manpage", hidden = true, mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Print the duet(1) manual page (roff) made from every command's help.")
final class ManPageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(spec.root().commandLine()));
        out.flush();
        return ExitCodes.OK;
    }

    static String render(CommandLine root) {
        StringBuilder b = new StringBuilder();
        b.append(".TH DUET 1 \"\" \"Duet ").append(Version.current()).append("\" \"Duet manual\"\n");
        b.append(".SH NAME\nduet \\- Layer\\-7 HTTP reverse proxy appliance with floating IPs for a pair of nodes\n");
        b.append(".SH SYNOPSIS\n.B duet\n.I COMMAND\n[\\fIOPTIONS\\fR]\n");
        b.append(".SH DESCRIPTION\n").append(text("Duet terminates HTTP and HTTPS (SNI, HTTP/2), routes requests to "
                + "pools of backend servers and balances them, with health checks. Two proxy nodes and a small "
                + "witness replicate one configuration over Raft and move floating IPs (VIPs) to the surviving node "
                + "within about two seconds. Nodes are run by the systemd units duet.service and "
                + "duet-witness.service and edited from the admin web UI at https://NODE:9443/ or with the commands "
                + "below. Every command also has --help."));
        b.append(".SH COMMANDS\n");
        collect(root, "duet", b);
        b.append(".SH EXIT STATUS\n");
        for (Map.Entry<String, String> e : ExitCodes.help().entrySet()) {
            b.append(".TP\n.B ").append(e.getKey()).append('\n').append(text(e.getValue()));
        }
        b.append(".SH FILES\n");
        file(b, "/etc/duet/duet.properties", "the node bootstrap (node id, data directory, ports, cluster members)");
        file(b, "/usr/share/duet/jvm.options", "the proxy node's JVM options (duet run), one per line; "
                + "jvm-witness.options next to it holds the witness's");
        file(b, "/etc/sysconfig/duet", "overrides of the services' JVM options (DUET_JAVA_OPTS, "
                + "DUET_WITNESS_JAVA_OPTS), each replacing its whole default list");
        file(b, "/var/lib/duet", "data: configuration document, keys, cluster identity, Raft log, access and audit "
                + "logs; admin-password holds the first admin password");
        file(b, "/usr/share/doc/duet/docs", "the operator's guide (README.md lists its pages): installing and "
                + "upgrading a pair (install.md), the configuration reference (configuration.md), the pair, TLS, the "
                + "admin API, metrics, error ids (troubleshooting.md)");
        b.append(".SH SEE ALSO\n.BR systemctl (1),\n.BR journalctl (1),\n.BR logrotate (8)\n");
        return b.toString();
    }

    private static void collect(CommandLine c, String name, StringBuilder b) {
        for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
            CommandLine sub = e.getValue();
            if (e.getKey().equals("help") || sub.getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            String full = name + " " + e.getKey();
            b.append(".SS \"").append(escape(full)).append("\"\n.nf\n");
            String usage = sub.getUsageMessage(CommandLine.Help.Ansi.OFF);
            for (String line : usage.split("\n", -1)) {
                if (line.startsWith("Exit codes:")) {
                    break; // the table is in EXIT STATUS once
                }
                b.append(escapeLine(line)).append('\n');
            }
            b.append(".fi\n");
            collect(sub, full, b);
        }
    }

    private static void file(StringBuilder b, String path, String what) {
        b.append(".TP\n.I ").append(escape(path)).append('\n').append(text(what));
    }

    private static String text(String s) {
        return escapeLine(s) + "\n";
    }

    /** roff: backslashes and minus signs escaped, a leading dot or quote neutralised. */
    static String escapeLine(String line) {
        String s = escape(line.stripTrailing());
        return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }
}
