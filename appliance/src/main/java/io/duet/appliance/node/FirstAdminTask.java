package io.duet.appliance.node;

import io.duet.admin.FirstAdmin;
import io.duet.config.store.ConfigStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.duet.appliance.bootstrap.ApplianceMessage.FIRST_ADMIN;

/**
 * Creates user 'admin' with a random password when the document has no user (first start), then stops trying: once a
 * second until the store can commit (at once standalone, after quorum in a cluster). The password is printed once on
 * standard output and written to {@code <data.dir>/admin-password} (0600).
 *
 * <p>Thread-safety: runs on its own daemon thread; {@link #close} from any thread.
 */
final class FirstAdminTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FirstAdminTask.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "duet-first-admin");
        t.setDaemon(true);
        return t;
    });
    private final ConfigStore store;
    private final Path passwordFile;
    private final int adminPort;

    private FirstAdminTask(ConfigStore store, Path passwordFile, int adminPort) {
        this.store = store;
        this.passwordFile = passwordFile;
        this.adminPort = adminPort;
    }

    static FirstAdminTask start(ConfigStore store, Path passwordFile, int adminPort) {
        FirstAdminTask task = new FirstAdminTask(store, passwordFile, adminPort);
        task.executor.scheduleWithFixedDelay(task::ensure, 0, 1, TimeUnit.SECONDS);
        return task;
    }

    private void ensure() {
        if (!store.current().admin().users().isEmpty()) {
            executor.shutdown();
            return;
        }
        try {
            FirstAdmin.Created c = FirstAdmin.ensure(store, passwordFile);
            if (c != null) {
                log.warn("{} created the admin user 'admin' (revision {}); its first password is printed once on "
                        + "standard output and is in {} (readable by this user only): log in at https://<this "
                        + "node>:{}/ and change it", FIRST_ADMIN, c.revision(), c.file(), adminPort);
                System.out.println("Admin user 'admin', first password (change it at the first login): "
                        + c.password());
                System.out.flush();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("first admin user not created yet: {}", e.toString()); // no quorum yet: tried again in 1 s
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
