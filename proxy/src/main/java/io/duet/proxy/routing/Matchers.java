package io.duet.proxy.routing;

import io.duet.config.BodyMatch;
import io.duet.config.PathMatch;
import io.duet.config.RouteMatch;
import io.duet.config.ValueMatch;
import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.net.InetAddress;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Compiles a {@link RouteMatch} into matchers, cheapest first: path, method, client address ({@code sources}: a
 * binary search on the real client's address), headers, query, cookies, content type. The body condition is separate ({@link CompiledRoute#bodyPattern()}) because it needs the body buffered.
 */
final class Matchers {
    private Matchers() {
    }

    static RequestMatcher[] compile(RouteMatch m, Function<List<String>, Predicate<InetAddress>> sourceSets) {
        List<RequestMatcher> out = new ArrayList<>();
        if (m.path() != null) {
            out.add(path(m.path()));
        }
        if (!m.methods().isEmpty()) {
            Set<HttpString> methods = new HashSet<>();
            for (String s : m.methods()) {
                methods.add(HttpString.tryFromString(s.toUpperCase(Locale.ROOT)));
            }
            out.add((ex, p) -> methods.contains(ex.getRequestMethod()));
        }
        if (!m.sources().isEmpty()) {
            Predicate<InetAddress> sources = sourceSets.apply(m.sources());
            out.add((ex, p) -> sources.test(realClient(ex)));
        }
        for (ValueMatch v : m.headers()) {
            out.add(header(v));
        }
        for (ValueMatch v : m.query()) {
            out.add(query(v));
        }
        for (ValueMatch v : m.cookies()) {
            out.add(cookie(v));
        }
        if (!m.contentTypes().isEmpty()) {
            Set<String> types = new HashSet<>();
            for (String t : m.contentTypes()) {
                types.add(t.trim().toLowerCase(Locale.ROOT));
            }
            out.add((ex, p) -> {
                String ct = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
                return ct != null && types.contains(mediaType(ct));
            });
        }
        return out.toArray(new RequestMatcher[0]);
    }

    /** The real client's address the root handler put in the context; the connection's peer without one. */
    private static InetAddress realClient(HttpServerExchange ex) {
        RequestContext ctx = RequestContext.peek(ex);
        InetAddress a = ctx == null ? null : ctx.realClient();
        if (a != null) {
            return a;
        }
        java.net.InetSocketAddress s = ex.getSourceAddress();
        return s == null ? null : s.getAddress();
    }

    static Pattern body(BodyMatch body) {
        return body == null ? null : Pattern.compile(body.regex());
    }

    /** The media type of a Content-Type value: before any parameter, trimmed, lower case. */
    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        String t = semi >= 0 ? contentType.substring(0, semi) : contentType;
        return t.trim().toLowerCase(Locale.ROOT);
    }

    static RequestMatcher path(PathMatch pm) {
        if (pm.exact() != null) {
            String exact = pm.exact();
            return (ex, p) -> p.equals(exact);
        }
        if (pm.prefix() != null) {
            String prefix = pm.prefix();
            if (prefix.endsWith("/")) {
                return (ex, p) -> p.startsWith(prefix);
            }
            return (ex, p) -> p.startsWith(prefix) && (p.length() == prefix.length() || p.charAt(prefix.length()) == '/');
        }
        Pattern regex = Pattern.compile(pm.regex());
        return (ex, p) -> regex.matcher(p).matches();
    }

    /** A predicate on one value; {@code null} value means "absent". */
    private interface ValueTest {
        boolean test(String value);
    }

    private static ValueTest valueTest(ValueMatch v) {
        if (v.exact() != null) {
            String exact = v.exact();
            return exact::equals;
        }
        if (v.regex() != null) {
            Pattern regex = Pattern.compile(v.regex());
            return s -> regex.matcher(s).matches();
        }
        return s -> true;
    }

    private static RequestMatcher header(ValueMatch v) {
        HttpString name = HttpString.tryFromString(v.name());
        return values(v, ex -> ex.getRequestHeaders().get(name));
    }

    private static RequestMatcher query(ValueMatch v) {
        String name = v.name();
        return values(v, ex -> ex.getQueryParameters().get(name));
    }

    /** A condition on a named multi-valued field: present/absent, or some value passes the test. */
    private static RequestMatcher values(ValueMatch v, Function<HttpServerExchange, Collection<String>> lookup) {
        boolean presence = v.present() != null;
        boolean wantPresent = presence && v.present();
        ValueTest test = valueTest(v);
        boolean invert = v.invert();
        return (ex, p) -> {
            Collection<String> values = lookup.apply(ex);
            boolean result;
            if (presence) {
                result = (values != null && !values.isEmpty()) == wantPresent;
            } else {
                result = false;
                if (values != null) {
                    for (String s : values) {
                        if (test.test(s)) {
                            result = true;
                            break;
                        }
                    }
                }
            }
            return result != invert;
        };
    }

    private static RequestMatcher cookie(ValueMatch v) {
        String name = v.name();
        boolean presence = v.present() != null;
        boolean wantPresent = presence && v.present();
        ValueTest test = valueTest(v);
        boolean invert = v.invert();
        return (ex, p) -> {
            Cookie c = ex.getRequestCookie(name);
            boolean result = presence ? (c != null) == wantPresent : c != null && test.test(c.getValue());
            return result != invert;
        };
    }
}
