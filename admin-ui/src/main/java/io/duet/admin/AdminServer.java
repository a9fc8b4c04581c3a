package io.duet.admin;

import io.duet.admin.api.RequestBody;
import io.duet.admin.api.SecurityHeaders;
import io.duet.admin.audit.AuditLog;
import io.duet.admin.auth.ApiTokens;
import io.duet.admin.auth.LoginThrottle;
import io.duet.admin.auth.Sessions;
import io.duet.admin.message.AdminMessage;
import io.duet.config.store.ConfigStore;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * The admin listener: HTTPS only (TLS 1.2 and 1.3), on its own address and port, serving the REST API under
 * {@code /api/v1}, and the web UI's files (plain ES modules, no build step: every file {@link UiFiles} allows; the
 * third-party ones {@link VendorFiles} lists).
 * Requests run on a few worker threads (password hashing and commits block); bodies are capped
 * ({@value RequestBody#MAX_BYTES} bytes) and requests time out like the proxy's.
 */
public final class AdminServer implements AutoCloseable {
    /** This node's last use of each API token, beside the audit file. */
    static final String TOKEN_USE_FILE = "api-tokens-used.json";
    /** A connection with no byte in either direction for this long is closed (a stalled body, a lingering close). */
    static final int IDLE_TIMEOUT_MS = 60_000;
    private final Undertow server;
    private final Sessions sessions;

    private final AuditLog audit;
    private final ApiTokens tokens;

    private AdminServer(Undertow server, Sessions sessions, AuditLog audit, ApiTokens tokens) {
        this.server = server;
        this.sessions = sessions;
        this.audit = audit;
        this.tokens = tokens;
    }

    /**
     * Starts the listener; blocks until bound.
     *
     * @param chain the certificate chain (leaf first) and {@code key} it presents: the node's certificate
     * @param auditFile where audit records are appended (null: log only); a replicating {@code store} also keeps them.
     *                  Beside it, {@code api-tokens-used.json} keeps this node's last use of each API token
     * @throws IllegalStateException the address cannot be bound (the message says which)
     */
    public static AdminServer start(String address, int port, PrivateKey key, List<X509Certificate> chain,
                                    ConfigStore store, Path auditFile, String nodeId, Clock clock, NodeView node) {
        Sessions sessions = new Sessions(clock);
        io.undertow.server.handlers.resource.ResourceHandler ui = new io.undertow.server.handlers.resource.ResourceHandler(
                new io.undertow.server.handlers.resource.ClassPathResourceManager(AdminServer.class.getClassLoader(),
                        UiFiles.ROOT)).setWelcomeFiles("index.html").setDirectoryListingEnabled(false);
        AuditLog audit = new AuditLog(auditFile, nodeId, clock, store);
        ApiTokens tokens = new ApiTokens(auditFile == null ? null : auditFile.resolveSibling(TOKEN_USE_FILE), clock);
        io.undertow.server.HttpHandler api = AdminApi.handler(store, sessions, new LoginThrottle(clock), audit, clock,
                node, tokens);
        Undertow u;
        try {
            u = Undertow.builder()
                    .setIoThreads(1)
                    .setWorkerThreads(8)
                    .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, RequestBody.MAX_BYTES + RequestBody.LINGER_BYTES)
                    .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                    .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                    .setServerOption(UndertowOptions.IDLE_TIMEOUT, IDLE_TIMEOUT_MS)
                    .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                    .addHttpsListener(port, address, sslContext(key, chain))
                    .setHandler(ex -> {
                        String p = ex.getRequestPath();
                        if (p.equals(AdminApi.PREFIX) || p.startsWith(AdminApi.PREFIX + "/")) {
                            api.handleRequest(ex);
                        } else if (VendorFiles.bytes(p) != null && (ex.getRequestMethod().equals(
                                io.undertow.util.Methods.GET) || ex.getRequestMethod().equals(
                                io.undertow.util.Methods.HEAD))) {
                            SecurityHeaders.apply(ex);
                            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
                            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, VendorFiles.contentType(p));
                            ex.getResponseSender().send(java.nio.ByteBuffer.wrap(VendorFiles.bytes(p)));
                        } else if (UiFiles.served(p) && (ex.getRequestMethod().equals(io.undertow.util.Methods.GET)
                                || ex.getRequestMethod().equals(io.undertow.util.Methods.HEAD))) {
                            SecurityHeaders.apply(ex);
                            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
                            ui.handleRequest(ex);
                        } else {
                            notFound(ex);
                        }
                    })
                    .build();
            u.start();
        } catch (RuntimeException | java.security.GeneralSecurityException | java.io.IOException e) {
            audit.close();
            throw new IllegalStateException(AdminMessage.LISTEN_FAILED.id() + " the admin listener could not listen on "
                    + address + ":" + port + ": " + e.getMessage() + "; check admin.address and admin.port", e);
        }
        return new AdminServer(u, sessions, audit, tokens);
    }

    private static void notFound(HttpServerExchange ex) {
        SecurityHeaders.apply(ex);
        ex.setStatusCode(404);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send("{\"id\":\"" + AdminMessage.NOT_FOUND.id() + "\",\"message\":\"not found: the "
                + "web UI is at /, the API under " + AdminApi.PREFIX + "\"}");
    }

    private static SSLContext sslContext(PrivateKey key, List<X509Certificate> chain)
            throws java.security.GeneralSecurityException, java.io.IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pass = "admin".toCharArray(); // in memory only
        ks.setKeyEntry("admin", key, pass, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    /** Live login sessions on this node. */
    public int sessions() {
        return sessions.size();
    }

    @Override
    public void close() {
        server.stop();
        tokens.close();
        audit.close();
    }
}
