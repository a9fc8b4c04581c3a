package io.duet.appliance;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.InvalidConfigException;
import io.duet.config.store.ConfigStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Starts the two components whose classes are written on other branches at the same time as this one:
 * {@code io.duet.config.store.FileConfigStore} and {@code io.duet.proxy.metrics.ManagementServer}. They are looked
 * up by name so that this branch compiles and its pure tests pass before those branches are merged.
 *
 * <p>After the merge, replace each body with the direct call shown in its comment and delete the reflection.
 * Main thread at start; may block.
 */
final class PendingComponents {
    static final String MISSING_COMPONENT = "DUET-NODE-0009";

    private static final String FILE_STORE = "io.duet.config.store.FileConfigStore";
    private static final String MANAGEMENT_SERVER = "io.duet.proxy.metrics.ManagementServer";

    private PendingComponents() {
    }

    /** The running management server: its bound address, and how to stop it. */
    interface Management extends AutoCloseable {
        InetSocketAddress address();

        @Override
        void close();
    }

    /**
     * Opens the standalone (file) config store. Direct call after the merge: {@code return FileConfigStore.open(file);}
     *
     * @throws InvalidConfigException the document in {@code file} is invalid
     */
    static ConfigStore openFileStore(Path file) throws InvalidConfigException, StartupException {
        Object store = invokeStatic(FILE_STORE, "open", new Class<?>[] {Path.class}, file);
        return (ConfigStore) store;
    }

    /**
     * Starts the management (metrics) server. Direct call after the merge:
     * {@code ManagementServer server = ManagementServer.start(address, port, registry);}
     * then wrap {@code server::address} and {@code server::close}.
     */
    static Management startManagement(String address, int port, MetricRegistry registry)
            throws StartupException {
        Object server;
        try {
            server = invokeStatic(MANAGEMENT_SERVER, "start",
                    new Class<?>[] {String.class, int.class, MetricRegistry.class}, address, port, registry);
        } catch (InvalidConfigException e) {
            throw new IllegalStateException(e); // not declared by ManagementServer.start
        }
        Method addressMethod;
        Method closeMethod;
        try {
            addressMethod = server.getClass().getMethod("address");
            closeMethod = server.getClass().getMethod("close");
        } catch (NoSuchMethodException e) {
            throw new StartupException(MISSING_COMPONENT, ExitCodes.STARTUP, "the management server of this build "
                    + "has an unexpected API (" + e.getMessage() + "); this is a build problem", e);
        }
        return new Management() {
            @Override
            public InetSocketAddress address() {
                Object a = call(addressMethod, server);
                return a instanceof InetSocketAddress isa ? isa : InetSocketAddress.createUnresolved(String.valueOf(a), port);
            }

            @Override
            public void close() {
                call(closeMethod, server);
            }
        };
    }

    private static Object invokeStatic(String className, String method, Class<?>[] types, Object... args)
            throws InvalidConfigException, StartupException {
        Method m;
        try {
            m = Class.forName(className).getMethod(method, types);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new StartupException(MISSING_COMPONENT, ExitCodes.STARTUP, "this build has no " + className + "."
                    + method + " (" + e + "); build Duet from a complete source tree", e);
        }
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidConfigException ice) {
                throw ice;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object call(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
