package io.duet.config.build;

import io.duet.config.AccessLog;
import io.duet.config.Admin;
import io.duet.config.DuetConfig;
import io.duet.config.Failover;
import io.duet.config.Forwarding;
import io.duet.config.Limits;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.TlsCertificate;
import io.duet.config.Vip;
import io.duet.config.VirtualHost;

import java.util.ArrayList;
import java.util.List;

/** Builds a {@link DuetConfig} field by field; lists grow one element per call. Not thread-safe. */
public final class DocumentBuilder {
    private Long revision;
    private final List<Listener> listeners = new ArrayList<>();
    private Limits limits;
    private Forwarding forwarding;
    private AccessLog accessLog;
    private final List<VirtualHost> virtualHosts = new ArrayList<>();
    private final List<Pool> pools = new ArrayList<>();
    private final List<TlsCertificate> certificates = new ArrayList<>();
    private final List<Vip> vips = new ArrayList<>();
    private Admin admin;
    private Failover failover;
    private final List<io.duet.config.AddressList> addressLists = new ArrayList<>();
    private final List<io.duet.config.RateLimit> rateLimits = new ArrayList<>();

    DocumentBuilder() {
    }

    public DocumentBuilder revision(long value) {
        this.revision = value;
        return this;
    }

    public DocumentBuilder listener(Listener listener) {
        listeners.add(listener);
        return this;
    }

    public DocumentBuilder limits(Limits value) {
        this.limits = value;
        return this;
    }

    public DocumentBuilder forwarding(Forwarding value) {
        this.forwarding = value;
        return this;
    }

    public DocumentBuilder accessLog(AccessLog value) {
        this.accessLog = value;
        return this;
    }

    public DocumentBuilder virtualHost(VirtualHost host) {
        virtualHosts.add(host);
        return this;
    }

    public DocumentBuilder virtualHost(VirtualHostBuilder host) {
        return virtualHost(host.build());
    }

    public DocumentBuilder pool(Pool pool) {
        pools.add(pool);
        return this;
    }

    public DocumentBuilder pool(PoolBuilder pool) {
        return pool(pool.build());
    }

    public DocumentBuilder certificate(TlsCertificate certificate) {
        certificates.add(certificate);
        return this;
    }

    public DocumentBuilder vip(Vip vip) {
        vips.add(vip);
        return this;
    }

    public DocumentBuilder admin(Admin value) {
        this.admin = value;
        return this;
    }

    public DocumentBuilder failover(Failover value) {
        this.failover = value;
        return this;
    }

    public DocumentBuilder addressList(io.duet.config.AddressList list) {
        addressLists.add(list);
        return this;
    }

    public DocumentBuilder rateLimit(io.duet.config.RateLimit limit) {
        rateLimits.add(limit);
        return this;
    }

    public DuetConfig build() {
        return new DuetConfig(revision, listeners, limits, forwarding, accessLog, virtualHosts, pools, certificates,
                vips, admin, failover, addressLists, rateLimits);
    }
}
