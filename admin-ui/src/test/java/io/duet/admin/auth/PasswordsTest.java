package io.duet.admin.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Argon2id hashes in PHC form: salted, verified, tamper-evident; the password rules; generated passwords. */
class PasswordsTest {
    @Test
    void hashesAreSaltedArgon2idAndVerify() {
        String a = Passwords.hash("correct horse battery");
        String b = Passwords.hash("correct horse battery");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(Passwords.verify("correct horse battery", a)).isTrue();
        assertThat(Passwords.verify("correct horse batterY", a)).isFalse();
        assertThat(Passwords.verify("correct horse battery", a.substring(0, a.length() - 2) + "AA")).isFalse();
        assertThat(Passwords.verify("x", "not a hash")).isFalse();
        assertThat(Passwords.verify("x", null)).isFalse();
        // A document cannot make a login cost a gigabyte of memory.
        assertThat(Passwords.verify("x", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdA$aGFzaA")).isFalse();
    }

    @Test
    void rulesAndGeneratedPasswords() {
        assertThat(Passwords.weakness("alice", "short", null)).contains("at least 12");
        assertThat(Passwords.weakness("alice-in-wonderland", "Alice-In-Wonderland", null)).contains("user name");
        assertThat(Passwords.weakness("alice", "the-old-one-12", "the-old-one-12")).contains("current");
        assertThat(Passwords.weakness("alice", "a-long-enough-one", "old")).isNull();
        String g = Passwords.generate();
        assertThat(g).hasSize(20).matches("[a-km-zA-HJ-NP-Z2-9]{20}").isNotEqualTo(Passwords.generate());
    }
}
