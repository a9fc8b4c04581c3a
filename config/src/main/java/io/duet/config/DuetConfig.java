package io.duet.config;

import java.util.List;
import java.util.Objects;

/**
 * The appliance configuration document: one immutable value with a monotonically increasing {@code revision}.
 *
 * <p>Records never throw on bad values: they only fill defaults and copy lists, so that
 * {@link ConfigValidator} can report every violation with its JSON path. A document that has not passed the
 * validator must not reach the data plane.
 */
public record DuetConfig(
        Long revision,
        List<Listener> listeners,
        Limits limits,
        Forwarding forwarding,
        AccessLog accessLog,
        List<VirtualHost> virtualHosts,
        List<Pool> pools,
        List<TlsCertificate> certificates,
        List<Vip> vips,
        Admin admin,
        Failover failover,
        List<AddressList> addressLists,
        List<RateLimit> rateLimits) {

    public DuetConfig {
        revision = revision == null ? 0L : revision;
        listeners = Lists.copy(listeners);
        limits = limits == null ? Limits.defaults() : limits;
        forwarding = forwarding == null ? Forwarding.defaults() : forwarding;
        accessLog = accessLog == null ? AccessLog.defaults() : accessLog;
        virtualHosts = Lists.copy(virtualHosts);
        pools = Lists.copy(pools);
        certificates = Lists.copy(certificates);
        vips = Lists.copy(vips);
        admin = admin == null ? Admin.empty() : admin;
        addressLists = Lists.copy(addressLists);
        rateLimits = Lists.copy(rateLimits);
    }

    public DuetConfig(Long revision, List<Listener> listeners, Limits limits, Forwarding forwarding,
                      AccessLog accessLog, List<VirtualHost> virtualHosts, List<Pool> pools,
                      List<TlsCertificate> certificates, List<Vip> vips, Admin admin, Failover failover) {
        this(revision, listeners, limits, forwarding, accessLog, virtualHosts, pools, certificates, vips, admin,
                failover, null, null);
    }

    public DuetConfig(Long revision, List<Listener> listeners, Limits limits, Forwarding forwarding,
                      AccessLog accessLog, List<VirtualHost> virtualHosts, List<Pool> pools,
                      List<TlsCertificate> certificates, List<Vip> vips, Admin admin) {
        this(revision, listeners, limits, forwarding, accessLog, virtualHosts, pools, certificates, vips, admin, null);
    }

    /** The failover timers: the document's, or the defaults when it sets none (a null {@code failover}). */
    public Failover failoverTimers() {
        return failover == null ? Failover.defaults() : failover;
    }

    public DuetConfig(Long revision, List<Listener> listeners, Limits limits, Forwarding forwarding,
                      AccessLog accessLog, List<VirtualHost> virtualHosts, List<Pool> pools,
                      List<TlsCertificate> certificates, List<Vip> vips) {
        this(revision, listeners, limits, forwarding, accessLog, virtualHosts, pools, certificates, vips, null);
    }

    public DuetConfig(Long revision, List<Listener> listeners, Limits limits, Forwarding forwarding,
                      AccessLog accessLog, List<VirtualHost> virtualHosts, List<Pool> pools,
                      List<TlsCertificate> certificates) {
        this(revision, listeners, limits, forwarding, accessLog, virtualHosts, pools, certificates, null, null);
    }

    public DuetConfig(Long revision, List<Listener> listeners, Limits limits, Forwarding forwarding,
                      AccessLog accessLog, List<VirtualHost> virtualHosts, List<Pool> pools) {
        this(revision, listeners, limits, forwarding, accessLog, virtualHosts, pools, null, null, null);
    }

    /** The same document with another revision. */
    public DuetConfig withRevision(long newRevision) {
        return new DuetConfig(newRevision, listeners, limits, forwarding, accessLog, virtualHosts, pools, certificates,
                vips, admin, failover, addressLists, rateLimits);
    }

    /** The same document with other certificates. */
    public DuetConfig withCertificates(List<TlsCertificate> newCertificates) {
        return new DuetConfig(revision, listeners, limits, forwarding, accessLog, virtualHosts, pools, newCertificates,
                vips, admin, failover, addressLists, rateLimits);
    }

    /** The same document with other pools. */
    public DuetConfig withPools(List<Pool> newPools) {
        return new DuetConfig(revision, listeners, limits, forwarding, accessLog, virtualHosts, newPools, certificates,
                vips, admin, failover, addressLists, rateLimits);
    }

    /** The same document with other admin users and tokens. */
    public DuetConfig withAdmin(Admin newAdmin) {
        return new DuetConfig(revision, listeners, limits, forwarding, accessLog, virtualHosts, pools, certificates,
                vips, newAdmin, failover, addressLists, rateLimits);
    }

    /** The certificate with this name, or {@code null}. Skips null list elements. */
    public TlsCertificate certificate(String name) {
        for (TlsCertificate c : certificates) {
            if (c != null && Objects.equals(c.name(), name)) {
                return c;
            }
        }
        return null;
    }

    /** The pool with this name, or {@code null}. Skips null list elements (an unvalidated document may have them). */
    public Pool pool(String name) {
        for (Pool p : pools) {
            if (p != null && Objects.equals(p.name(), name)) {
                return p;
            }
        }
        return null;
    }
}
