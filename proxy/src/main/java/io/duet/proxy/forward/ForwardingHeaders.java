package io.duet.proxy.forward;

import io.duet.config.CidrBlock;
import io.duet.config.Forwarding;
import io.duet.proxy.http1.HopByHop;
import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rewrites the request headers before forwarding and the response headers before they reach the client.
 *
 * <p>Request: hop-by-hop headers (RFC 9110 section 7.6.1) and every header named in {@code Connection} are removed;
 * a WebSocket upgrade keeps {@code Upgrade: websocket} (the tunnel opens only when the server answers 101); h2c
 * upgrades are refused by dropping the upgrade. From an untrusted peer, X-Forwarded-For/-Proto/-Host/-Port/-Server,
 * X-Real-IP and Forwarded are replaced by Duet's own values and the request id is generated; from a trusted proxy
 * they are extended (X-Forwarded-For and Forwarded get the peer appended) or kept.
 *
 * <p>The forwarder ({@link ForwardState}) then writes X-Forwarded-For (a trusted list gets {@code ", "} and the peer
 * appended), and X-Forwarded-Proto/-Port when absent, so untrusted values never survive: they are removed here.
 *
 * <p>I/O thread; allocation is a few strings per request.
 */
public final class ForwardingHeaders {
    static final HttpString X_REAL_IP = new HttpString("X-Real-IP");
    static final HttpString X_FORWARDED_PORT = new HttpString("X-Forwarded-Port");
    static final HttpString X_FORWARDED_SERVER = new HttpString("X-Forwarded-Server");
    static final HttpString FORWARDED = new HttpString("Forwarded");
    static final HttpString VIA = new HttpString("Via");
    /** {@link HopByHop#NAMES}, made header names once. */
    private static final HttpString[] HOP_BY_HOP = HopByHop.headers();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** What a request or response header name means to forwarding; looked up once per header. */
    private static final int HOP = 1;
    private static final int FORWARDING = 2;
    private static final Map<HttpString, Integer> CLASSES = new HashMap<>();

    static {
        for (HttpString name : HOP_BY_HOP) {
            CLASSES.put(name, HOP);
        }
        for (HttpString name : new HttpString[]{Headers.X_FORWARDED_FOR, Headers.X_FORWARDED_PROTO,
                Headers.X_FORWARDED_HOST, X_FORWARDED_PORT, X_FORWARDED_SERVER, X_REAL_IP, FORWARDED}) {
            CLASSES.put(name, FORWARDING);
        }
    }

    /**
     * The client's address, its text, the local port and the last Forwarded element, made once per client connection
     * (the peer address of a connection does not change; Duet never overrides an exchange's source address) and kept
     * in the request's context, so a request asks the socket for its addresses at most once per connection, not once
     * per use.
     */
    private static final class ClientText implements RequestContext.Client {
        final InetAddress address;
        final String ip;
        final int localPort;
        String host;
        String scheme;
        String forwarded;

        ClientText(InetAddress address, int localPort) {
            this.address = address;
            this.ip = address == null ? "unknown" : address.getHostAddress();
            this.localPort = localPort;
        }

        @Override
        public int localPort() {
            return localPort;
        }

        @Override
        public InetAddress address() {
            return address;
        }

        @Override
        public String ip() {
            return ip;
        }
    }

    private static final AttachmentKey<ClientText> CLIENT_TEXT = AttachmentKey.create(ClientText.class);

    private final List<CidrBlock> trusted;
    private final HttpString requestIdHeader;
    private final boolean forwarded;
    private final boolean xRealIp;
    private final String via;

    public ForwardingHeaders(Forwarding spec, String nodeName) {
        this.trusted = CidrBlock.parseAll(spec.trustedProxies(), "forwarding.trustedProxies");
        this.requestIdHeader = spec.requestIdHeader().isEmpty() ? null : new HttpString(spec.requestIdHeader());
        this.forwarded = spec.forwarded();
        this.xRealIp = spec.xRealIp();
        this.via = spec.via() ? "1.1 " + nodeName : null;
    }

    /**
     * Prepares the request headers for forwarding. I/O thread. One pass over the request's headers finds out
     * whether any hop-by-hop or forwarding header is present; the common request has none and costs no removals.
     *
     * @return the client connection's addresses, for the X-Forwarded-For and -Port the request writer adds
     */
    public RequestContext.Client request(HttpServerExchange exchange, RequestContext ctx) {
        HeaderMap h = exchange.getRequestHeaders();
        int found = classify(h);
        if ((found & HOP) != 0) {
            boolean websocket = isWebSocketUpgrade(exchange, h);
            stripHopByHop(h);
            if (websocket) {
                h.put(Headers.UPGRADE, "websocket");
                h.put(Headers.CONNECTION, "Upgrade");
            }
        }
        ClientText client = clientText(exchange, ctx);
        boolean fromTrusted = client.address != null && CidrBlock.anyContains(trusted, client.address);
        if (!fromTrusted && (found & FORWARDING) != 0) {
            h.remove(Headers.X_FORWARDED_FOR);
            h.remove(Headers.X_FORWARDED_PROTO);
            h.remove(Headers.X_FORWARDED_HOST);
            h.remove(X_FORWARDED_PORT);
            h.remove(X_FORWARDED_SERVER);
            h.remove(X_REAL_IP);
            h.remove(FORWARDED);
            found &= ~FORWARDING;
        }
        boolean mayHaveForwarding = (found & FORWARDING) != 0;
        String host = h.getFirst(Headers.HOST);
        if (host != null && !(mayHaveForwarding && h.contains(Headers.X_FORWARDED_HOST))) {
            h.put(Headers.X_FORWARDED_HOST, host);
        }
        if (xRealIp) {
            if (!(mayHaveForwarding && h.contains(X_REAL_IP))) {
                h.put(X_REAL_IP, client.ip);
            }
        } else if (mayHaveForwarding) {
            h.remove(X_REAL_IP);
        }
        if (forwarded) {
            String element = forwardedElement(client, host, exchange.getRequestScheme());
            String existing = mayHaveForwarding ? h.getFirst(FORWARDED) : null;
            h.put(FORWARDED, existing == null || existing.isEmpty() ? element : existing + ", " + element);
        }
        if (via != null) {
            String existing = h.getFirst(VIA);
            h.put(VIA, existing == null ? via : existing + ", " + via);
        }
        return client;
    }

    /**
     * The real client's address: the connection's peer (after the PROXY protocol), or, when that peer is a trusted
     * proxy and the request carries {@code X-Forwarded-For}, the right-most address of that list that is not a
     * trusted proxy (the last hop a trusted proxy saw). {@code null} when the connection has no address. I/O thread;
     * allocates only when a trusted proxy forwarded the request.
     */
    public InetAddress clientAddress(HttpServerExchange exchange, RequestContext ctx) {
        InetAddress peer = clientText(exchange, ctx).address;
        if (peer == null || trusted.isEmpty() || !CidrBlock.anyContains(trusted, peer)) {
            return peer;
        }
        HeaderValues xff = exchange.getRequestHeaders().get(Headers.X_FORWARDED_FOR);
        if (xff == null) {
            return peer;
        }
        InetAddress found = peer;
        for (int v = xff.size() - 1; v >= 0; v--) {
            String list = xff.get(v);
            int end = list.length();
            while (end > 0) {
                int comma = list.lastIndexOf(',', end - 1);
                String item = list.substring(comma + 1, end).trim();
                end = comma < 0 ? 0 : comma;
                java.util.Optional<InetAddress> a = CidrBlock.parseIpLiteral(item);
                if (a.isEmpty()) {
                    return found; // not an address: stop at the last hop that was one
                }
                found = a.get();
                if (!CidrBlock.anyContains(trusted, found)) {
                    return found;
                }
            }
        }
        return found;
    }

    /** Bit set of the classes of the headers present. */
    private static int classify(HeaderMap h) {
        int found = 0;
        for (long c = h.fastIterateNonEmpty(); c != -1L; c = h.fiNextNonEmpty(c)) {
            Integer k = CLASSES.get(h.fiCurrent(c).getHeaderName());
            if (k != null) {
                found |= k;
            }
        }
        return found;
    }

    private static ClientText clientText(HttpServerExchange exchange, RequestContext ctx) {
        if (ctx != null && ctx.client() instanceof ClientText known) {
            return known;
        }
        ClientText t = exchange.getConnection().getAttachment(CLIENT_TEXT);
        if (t == null) {
            InetSocketAddress source = exchange.getSourceAddress();
            InetSocketAddress local = exchange.getDestinationAddress();
            t = new ClientText(source == null ? null : source.getAddress(), local == null ? -1 : local.getPort());
            exchange.getConnection().putAttachment(CLIENT_TEXT, t);
        }
        if (ctx != null) {
            ctx.client(t);
        }
        return t;
    }

    /** The Forwarded element for this request, reused while host and scheme stay those of the previous request. */
    private static String forwardedElement(ClientText client, String host, String scheme) {
        if (client.forwarded != null && java.util.Objects.equals(client.host, host) && scheme.equals(client.scheme)) {
            return client.forwarded;
        }
        client.forwarded = forwardedElement(client.address, host, scheme);
        client.host = host;
        client.scheme = scheme;
        return client.forwarded;
    }

    /**
     * Assigns the request id: kept from a trusted proxy, generated otherwise, set on the request and kept in the
     * request's context for logs and error pages. Runs for every request before routing. I/O thread.
     */
    public void requestId(HttpServerExchange exchange, RequestContext ctx) {
        if (requestIdHeader == null) {
            return;
        }
        HeaderMap h = exchange.getRequestHeaders();
        InetAddress peer = clientText(exchange, ctx).address;
        String id = peer != null && CidrBlock.anyContains(trusted, peer) ? h.getFirst(requestIdHeader) : null;
        if (id == null || id.isEmpty() || id.length() > 200) {
            id = newRequestId();
            h.put(requestIdHeader, id);
        }
        ctx.requestId(id);
    }

    /**
     * Removes hop-by-hop headers from a backend response before it reaches the client and sends the request id of
     * the request's context back. I/O thread.
     */
    public void response(HttpServerExchange exchange, RequestContext ctx) {
        HeaderMap h = exchange.getResponseHeaders();
        if ((classify(h) & HOP) != 0) {
            boolean switching = exchange.getStatusCode() == 101;
            HeaderValues upgrade = switching ? h.get(Headers.UPGRADE) : null;
            String upgradeValue = upgrade == null ? null : upgrade.getFirst();
            stripHopByHop(h);
            if (switching && upgradeValue != null) {
                h.put(Headers.UPGRADE, upgradeValue);
                h.put(Headers.CONNECTION, "Upgrade");
            }
        }
        if (requestIdHeader != null) {
            String id = ctx.requestId();
            if (id != null && !h.contains(requestIdHeader)) {
                h.put(requestIdHeader, id);
            }
        }
        if (via != null) {
            String existing = h.getFirst(VIA);
            h.put(VIA, existing == null ? via : existing + ", " + via);
        }
    }

    /** Removes every header named in Connection, then the fixed hop-by-hop set. */
    static void stripHopByHop(HeaderMap h) {
        HeaderValues connection = h.get(Headers.CONNECTION);
        if (connection != null) {
            for (int i = 0; i < connection.size(); i++) {
                String v = connection.get(i);
                int start = 0;
                for (int j = 0; j <= v.length(); j++) {
                    if (j == v.length() || v.charAt(j) == ',') {
                        String name = v.substring(start, j).trim();
                        if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")) {
                            h.remove(name);
                        }
                        start = j + 1;
                    }
                }
            }
        }
        for (HttpString name : HOP_BY_HOP) {
            h.remove(name);
        }
    }

    private static boolean isWebSocketUpgrade(HttpServerExchange exchange, HeaderMap h) {
        String upgrade = h.getFirst(Headers.UPGRADE);
        if (upgrade == null || !upgrade.trim().equalsIgnoreCase("websocket")) {
            return false;
        }
        if (!exchange.getRequestMethod().equals(io.undertow.util.Methods.GET)) {
            return false;
        }
        HeaderValues connection = h.get(Headers.CONNECTION);
        if (connection == null) {
            return false;
        }
        for (int i = 0; i < connection.size(); i++) {
            for (String token : connection.get(i).split(",")) {
                if (token.trim().equalsIgnoreCase("upgrade")) {
                    return true;
                }
            }
        }
        return false;
    }

    static String forwardedElement(InetAddress client, String host, String scheme) {
        StringBuilder b = new StringBuilder(64).append("for=");
        if (client == null) {
            b.append("unknown");
        } else if (client instanceof Inet6Address) {
            b.append("\"[").append(client.getHostAddress()).append("]\"");
        } else {
            b.append(client.getHostAddress());
        }
        if (host != null && isToken(host)) {
            b.append(";host=").append(host);
        } else if (host != null) {
            b.append(";host=\"").append(host.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        b.append(";proto=").append(scheme);
        return b.toString();
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '~')) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** 16 random hex digits. */
    static String newRequestId() {
        long r = ThreadLocalRandom.current().nextLong();
        char[] c = new char[16];
        for (int i = 15; i >= 0; i--) {
            c[i] = HEX[(int) (r & 0xf)];
            r >>>= 4;
        }
        return new String(c);
    }
}
