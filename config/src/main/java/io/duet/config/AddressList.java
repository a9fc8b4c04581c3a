package io.duet.config;

import java.util.List;

/**
 * A named list of client addresses, reusable by the access rules of listeners and routes and by route matches
 * ({@code match.sources}): CIDR blocks or single addresses, IPv4 and IPv6.
 *
 * @param name      unique in the document; access rules and matches name it
 * @param addresses CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or single addresses
 */
public record AddressList(String name, List<String> addresses) {
    public AddressList {
        addresses = Lists.copy(addresses);
    }
}
