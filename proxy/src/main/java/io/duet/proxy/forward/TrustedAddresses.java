package io.duet.proxy.forward;

import io.duet.config.CidrBlock;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** The trusted proxies of the document: validated CIDR blocks. Any thread. */
final class TrustedAddresses {
    private final List<CidrBlock> blocks;

    private TrustedAddresses(List<CidrBlock> blocks) {
        this.blocks = blocks;
    }

    static TrustedAddresses of(List<String> cidrs) {
        List<CidrBlock> blocks = new ArrayList<>(cidrs.size());
        for (String c : cidrs) {
            blocks.add(CidrBlock.parse(c).orElseThrow(() -> new IllegalArgumentException(
                    "forwarding.trustedProxies: '" + c + "' (expected: an IP address or CIDR block)")));
        }
        return new TrustedAddresses(List.copyOf(blocks));
    }

    boolean contains(InetAddress address) {
        return address != null && CidrBlock.anyContains(blocks, address);
    }
}
