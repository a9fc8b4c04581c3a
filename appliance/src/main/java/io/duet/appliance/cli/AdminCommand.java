package io.duet.appliance.cli;

import io.duet.admin.auth.Passwords;
import io.duet.appliance.bootstrap.ApplianceMessage;
import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.config.Admin;
import io.duet.config.AdminRole;
import io.duet.config.AdminUser;
import io.duet.config.DuetConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code duet admin}: recovery of the admin web UI's accounts from the node's console. */
@Command(name = "admin",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Recover access to the admin web UI from the node's console.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {AdminCommand.ResetPassword.class, CommandLine.HelpCommand.class})
final class AdminCommand implements Callable<Integer> {
    static final String BAD_ROLE = ApplianceMessage.BAD_ROLE.id();

    @ParentCommand
    DuetCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: reset-password");
    }

    /** {@code duet admin reset-password}: a new one-time password for a user (created as admin if absent). */
    @Command(name = "reset-password", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Give an admin UI user a new random password that must be changed at the next login.",
            description = {"%nFor a lost password: run it as root (or the duet user) on any node. It commits the new "
                    + "password's Argon2id hash (in cluster mode to the cluster, through the node's cluster "
                    + "certificate), ends the user's sessions, and prints the password once. A user that does not "
                    + "exist is created with --role (default admin), so this also recovers from a document without "
                    + "any admin. The change is in the configuration history as cli@<node>."})
    static final class ResetPassword implements Callable<Integer> {
        @Option(names = "--user", paramLabel = "NAME", defaultValue = "admin",
                description = "The user (default: ${DEFAULT-VALUE}).")
        String user;
        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin", completionCandidates = Roles.class,
                description = "The role of a user created by this command: ${COMPLETION-CANDIDATES} (default: "
                        + "${DEFAULT-VALUE}). An existing user keeps its role.")
        String role;
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @ParentCommand
        AdminCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException {
            if (AdminRole.from(role) == null) {
                List<String> roles = AdminRole.wires();
                throw new StartupException(BAD_ROLE, ExitCodes.USAGE, "--role " + role + " is not a role: use "
                        + String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.get(roles.size() - 1));
            }
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            String password = Passwords.generate();
            String hash = Passwords.hash(password);
            boolean[] created = {false};
            long revision = ConfigCommand.commitEdit(b, cur -> {
                if (cur == null) {
                    throw new StartupException(ConfigCommand.CLUSTER_UNREACHABLE, ExitCodes.STARTUP, "the cluster "
                            + "has committed no document yet: start the nodes first");
                }
                List<AdminUser> users = new ArrayList<>();
                boolean found = false;
                for (AdminUser u : cur.admin().users()) {
                    if (u.name().equals(user)) {
                        users.add(new AdminUser(u.name(), u.role(), hash, true));
                        found = true;
                    } else {
                        users.add(u);
                    }
                }
                if (!found) {
                    users.add(new AdminUser(user, role, hash, true));
                    created[0] = true;
                }
                return cur.withAdmin(new Admin(users, cur.admin().apiTokens()));
            }, "password of " + user + " reset from the command line");
            PrintWriter out = spec.commandLine().getOut();
            out.println((created[0] ? "Created " + role + " user '" + user + "'" : "Reset the password of '" + user
                    + "'") + " (revision " + revision + "). One-time password, shown once; it must be changed at "
                    + "the next login:");
            out.println(password);
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** The roles {@code --role} offers (help and shell completion): {@link AdminRole#wires()}. */
    static final class Roles implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return AdminRole.wires().iterator();
        }
    }
}
