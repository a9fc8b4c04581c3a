package io.duet.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin section: users with roles and Argon2id hashes, API tokens; every problem with its path. */
class AdminValidationTest {
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    private static final String REST = """
            listeners: [{name: web, port: 8080}]
            virtualHosts:
              - name: v
                defaultHost: true
                routes: [{name: r, pool: p}]
            pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]
            """;

    private static DuetConfig yaml(String text) {
        try {
            return ConfigCodec.decode(text, ConfigCodec.Format.YAML);
        } catch (InvalidConfigException e) {
            throw new AssertionError(e.violations().toString(), e);
        }
    }

    @Test
    void validUsersAndTokensAreClean() throws Exception {
        DuetConfig d = yaml(REST + """
                admin:
                  users:
                    - {name: alice, role: admin, passwordHash: '%s', mustChangePassword: true}
                    - {name: bob, role: viewer, passwordHash: '%s'}
                  apiTokens:
                    - {id: 0123456789abcdef, name: ci, role: operator, sha256: %s, created: 1, owner: alice}
                    - {id: 0123456789abcde0, name: cd, role: viewer, sha256: %s, created: 1, expires: 7776000001}
                """.formatted(HASH, HASH, "a".repeat(64), "b".repeat(64)));
        assertThat(ConfigValidator.validate(d)).isEmpty();
        assertThat(d.admin().user("alice").mustChangePassword()).isTrue();
        assertThat(d.admin().user("bob").mustChangePassword()).isFalse();
        assertThat(ConfigCodec.decode(ConfigCodec.encode(d, ConfigCodec.Format.JSON), ConfigCodec.Format.JSON))
                .isEqualTo(d);
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        DuetConfig d = yaml(REST + """
                admin:
                  users:
                    - {name: 'bad name', role: root, passwordHash: 'secret'}
                    - {name: Carol, role: viewer, passwordHash: '%s'}
                    - {name: carol, role: operator, passwordHash: '%s'}
                  apiTokens:
                    - {id: xyz, name: ci, role: god, sha256: nope}
                """.formatted(HASH, HASH));
        List<String> found = ConfigValidator.validate(d).stream().map(v -> v.id() + " " + v.path()).toList();
        assertThat(found).contains(
                "DUET-CONFIG-0018 $.admin.users[0].name",
                "DUET-CONFIG-0014 $.admin.users[0].role",
                "DUET-CONFIG-0201 $.admin.users[0].passwordHash",
                "DUET-CONFIG-0013 $.admin.users[2].name",
                "DUET-CONFIG-0200 $.admin.users",
                "DUET-CONFIG-0018 $.admin.apiTokens[0].id",
                "DUET-CONFIG-0014 $.admin.apiTokens[0].role",
                "DUET-CONFIG-0018 $.admin.apiTokens[0].sha256");
        assertThat(ConfigValidator.validate(d).toString()).doesNotContain("nope");
    }

    // Every token expires within 365 days of its making: a later or an earlier expiry is refused with its path.
    @Test
    void tokensExpireWithinAYear() {
        long day = 86_400_000L;
        DuetConfig d = yaml(REST + """
                admin:
                  users:
                    - {name: alice, role: admin, passwordHash: '%s'}
                  apiTokens:
                    - {id: 0123456789abcdef, name: ok, role: viewer, sha256: %s, created: 1000, expires: %d}
                    - {id: 0123456789abcde0, name: long, role: viewer, sha256: %s, created: 1000, expires: %d}
                    - {id: 0123456789abcde1, name: back, role: viewer, sha256: %s, created: 1000, expires: 1000}
                """.formatted(HASH, "a".repeat(64), 1000 + 365 * day, "b".repeat(64), 1001 + 365 * day,
                "c".repeat(64)));
        assertThat(ConfigValidator.validate(d).stream().map(v -> v.id() + " " + v.path()).toList()).containsExactly(
                "DUET-CONFIG-0331 $.admin.apiTokens[1].expires",
                "DUET-CONFIG-0331 $.admin.apiTokens[2].expires");
        assertThat(d.admin().apiTokens().get(0).expiredAt(1000 + 365 * day)).isTrue();
        assertThat(d.admin().apiTokens().get(0).expiredAt(999 + 365 * day)).isFalse();
    }

    // A user or token without a role is a violation at its path (the validator threw a NullPointerException here
    // while the roles were a List.of, whose contains(null) throws).
    @Test
    void missingRoleIsAViolationNotACrash() {
        DuetConfig d = yaml(REST + """
                admin:
                  users:
                    - {name: alice, role: admin, passwordHash: '%s'}
                    - {name: bob, passwordHash: '%s'}
                  apiTokens:
                    - {id: 0123456789abcdef, name: ci, sha256: %s, created: 1, owner: alice}
                """.formatted(HASH, HASH, "a".repeat(64)));
        assertThat(ConfigValidator.validate(d).stream().map(v -> v.id() + " " + v.path()).toList()).containsExactly(
                "DUET-CONFIG-0014 $.admin.users[1].role",
                "DUET-CONFIG-0014 $.admin.apiTokens[0].role");
        assertThat(ConfigValidator.validate(d).get(0).message())
                .isEqualTo("role: 'null' (expected one of: admin, operator, viewer)");
    }
}
