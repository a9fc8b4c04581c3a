package io.duet.cluster.raft;

import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.grpc.GrpcUtil;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.thirdparty.io.grpc.CallOptions;
import org.apache.ratis.thirdparty.io.grpc.Grpc;
import org.apache.ratis.thirdparty.io.grpc.ManagedChannel;
import org.apache.ratis.thirdparty.io.grpc.MethodDescriptor;
import org.apache.ratis.thirdparty.io.grpc.ServerServiceDefinition;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.netty.NegotiationType;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyChannelBuilder;
import org.apache.ratis.thirdparty.io.grpc.stub.ClientCalls;
import org.apache.ratis.thirdparty.io.grpc.stub.ServerCalls;
import org.apache.ratis.thirdparty.io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.duet.cluster.message.ClusterMessage.PEER_MESSAGE_REFUSED;

/**
 * Messages between members outside the Raft log, over the Raft port and its mutual TLS: one gRPC method
 * ({@value #METHOD}) added to every member's Raft server, unary, a small binary frame each way. For state that is
 * exchanged often and may be lost (the pair's rate-limit counts, ten times a second), where a commit per message would
 * load the log and the witness for nothing.
 *
 * <p>The sender is the member named by its certificate (the cluster CA's member certificates carry the node id as
 * their common name); a frame naming another sender, or sent without a member certificate, is refused
 * ({@code DUET-CLUSTER-0069}). Each message has a topic; a member hands it to the handler subscribed to it and answers
 * at once (a topic nobody subscribed to is dropped, answered all the same: a node running an older release). At most
 * {@value #MAX_BYTES} bytes per message.
 *
 * <p>Thread-safety: any thread. Handlers run on gRPC's threads: they must be quick and never block.
 */
public final class PeerChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);
    static final String SERVICE = "duet.Peer";
    static final String METHOD = SERVICE + "/Tell";
    public static final int MAX_BYTES = 1 << 20;
    private static final int VERSION = 1;

    /** A message as received: its sender (checked against its certificate), its topic and its body. */
    public record Message(String from, String topic, byte[] body) {
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                byte[] b = stream.readNBytes(MAX_BYTES + 1024);
                if (stream.read() != -1) {
                    throw Status.RESOURCE_EXHAUSTED.withDescription("message over " + MAX_BYTES + " bytes")
                            .asRuntimeException();
                }
                return b;
            } catch (IOException e) {
                throw Status.INTERNAL.withCause(e).asRuntimeException();
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> TELL = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(METHOD)
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    private final String self;
    private final Map<String, String> members;
    private final GrpcTlsConfig tls;
    private final Map<String, Consumer<Message>> handlers = new ConcurrentHashMap<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param self    this member's id
     * @param members every member's id and Raft endpoint ({@code host:port})
     * @param tls     this member's TLS (null: plain text, tests only; then the sender named in a frame is believed)
     */
    PeerChannel(String self, Map<String, String> members, GrpcTlsConfig tls) {
        this.self = self;
        this.members = Map.copyOf(members);
        this.tls = tls;
    }

    /** Hands every message of {@code topic} to {@code handler} (replacing an earlier one). */
    public void subscribe(String topic, Consumer<Message> handler) {
        handlers.put(topic, handler);
    }

    /** The other members' ids. */
    public List<String> others() {
        return members.keySet().stream().filter(m -> !m.equals(self)).sorted().toList();
    }

    /**
     * Sends {@code body} under {@code topic} to {@code member}; completes when it answered, exceptionally when it did
     * not within {@code timeoutMs} or refused it.
     */
    public CompletableFuture<Void> tell(String member, String topic, byte[] body, long timeoutMs) {
        if (body.length > MAX_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message of " + body.length
                    + " bytes (at most " + MAX_BYTES + ")"));
        }
        ManagedChannel channel;
        try {
            channel = channel(member);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(TELL, CallOptions.DEFAULT.withDeadlineAfter(timeoutMs,
                TimeUnit.MILLISECONDS)), frame(self, topic, body), new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        return done;
    }

    private ManagedChannel channel(String member) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        String address = members.get(member);
        if (address == null || member.equals(self)) {
            throw new IllegalArgumentException("not another member: " + member);
        }
        return channels.computeIfAbsent(member, m -> {
            NettyChannelBuilder b = NettyChannelBuilder.forTarget(address).proxyDetector(a -> null);
            if (tls != null) {
                b.useTransportSecurity().sslContext(GrpcUtil.buildSslContextForClient(tls));
            } else {
                b.negotiationType(NegotiationType.PLAINTEXT);
            }
            return b.maxInboundMessageSize(MAX_BYTES + 1024).build();
        });
    }

    /** The TLS session of the call being handled. */
    private static final org.apache.ratis.thirdparty.io.grpc.Context.Key<SSLSession> SESSION =
            org.apache.ratis.thirdparty.io.grpc.Context.key("duet-peer-session");

    /** The receiving side, added to this member's Raft server (see {@link ClusterNode}). */
    GrpcServices.Customizer service() {
        ServerServiceDefinition definition = ServerServiceDefinition.builder(SERVICE)
                .addMethod(TELL, ServerCalls.asyncUnaryCall((frame, answer) -> {
                    Message m = received(frame, SESSION.get());
                    if (m == null) {
                        answer.onError(Status.PERMISSION_DENIED.asRuntimeException());
                        return;
                    }
                    Consumer<Message> h = handlers.get(m.topic());
                    if (h != null) {
                        try {
                            h.accept(m);
                        } catch (RuntimeException e) {
                            LOG.warn("{} a peer message of topic {} from {} could not be handled: {}",
                                    PEER_MESSAGE_REFUSED, m.topic(), m.from(), e.toString());
                        }
                    }
                    answer.onNext(new byte[0]);
                    answer.onCompleted();
                })).build();
        org.apache.ratis.thirdparty.io.grpc.ServerInterceptor session = new org.apache.ratis.thirdparty.io.grpc
                .ServerInterceptor() {
            @Override
            public <Q, A> org.apache.ratis.thirdparty.io.grpc.ServerCall.Listener<Q> interceptCall(
                    org.apache.ratis.thirdparty.io.grpc.ServerCall<Q, A> call,
                    org.apache.ratis.thirdparty.io.grpc.Metadata headers,
                    org.apache.ratis.thirdparty.io.grpc.ServerCallHandler<Q, A> next) {
                return org.apache.ratis.thirdparty.io.grpc.Contexts.interceptCall(
                        org.apache.ratis.thirdparty.io.grpc.Context.current().withValue(SESSION,
                                call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)), call, headers, next);
            }
        };
        ServerServiceDefinition intercepted = org.apache.ratis.thirdparty.io.grpc.ServerInterceptors.intercept(
                definition, session);
        return (builder, types) -> types.contains(GrpcServices.Type.SERVER) ? builder.addService(intercepted) : builder;
    }

    /** The message in {@code frame}, or null (logged) when it is malformed or its sender is not who it says. */
    private Message received(byte[] frame, SSLSession session) {
        Message m = parse(frame);
        if (m == null) {
            LOG.warn("{} a malformed peer message ({} bytes) was refused", PEER_MESSAGE_REFUSED, frame.length);
            return null;
        }
        if (tls != null) {
            String certified = commonName(session);
            if (!m.from().equals(certified)) {
                LOG.warn("{} a peer message naming {} as its sender came with the certificate of {}: refused",
                        PEER_MESSAGE_REFUSED, m.from(), certified == null ? "nobody" : certified);
                return null;
            }
        }
        if (!members.containsKey(m.from()) || m.from().equals(self)) {
            LOG.warn("{} a peer message from {}, not another member: refused", PEER_MESSAGE_REFUSED, m.from());
            return null;
        }
        return m;
    }

    /** The common name of the peer's certificate, or null. */
    static String commonName(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
                return null;
            }
            for (Rdn rdn : new LdapName(x.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return null;
        }
    }

    /** version (1 byte), sender and topic (each a 2-byte length and UTF-8), then the body. */
    static byte[] frame(String from, String topic, byte[] body) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 2 + f.length + 2 + t.length + body.length);
        b.put((byte) VERSION).putShort((short) f.length).put(f).putShort((short) t.length).put(t).put(body);
        return b.array();
    }

    static Message parse(byte[] frame) {
        try {
            ByteBuffer b = ByteBuffer.wrap(frame);
            if (b.get() != VERSION) {
                return null;
            }
            byte[] f = new byte[b.getShort() & 0xffff];
            b.get(f);
            byte[] t = new byte[b.getShort() & 0xffff];
            b.get(t);
            byte[] body = new byte[b.remaining()];
            b.get(body);
            return new Message(new String(f, StandardCharsets.UTF_8), new String(t, StandardCharsets.UTF_8), body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(c -> {
            c.shutdownNow();
        });
        channels.clear();
    }
}
