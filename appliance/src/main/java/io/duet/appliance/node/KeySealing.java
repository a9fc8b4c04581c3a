package io.duet.appliance.node;

import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.store.ConfigStore;
import io.duet.config.store.RevisionConflictException;
import io.duet.tls.KeyVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

import static io.duet.appliance.bootstrap.ApplianceMessage.KEYS_SEALED;
import static io.duet.appliance.bootstrap.ApplianceMessage.SEAL_FAILED;

/**
 * Commits a revision with every private key and affinity signing key given in clear sealed under the data key (the
 * document on disk and in the cluster then holds no usable key). A concurrent edit wins: its own commit comes back
 * and is sealed then.
 *
 * <p>Thread-safety: called on the store's thread and once at start; holds no state of its own.
 */
final class KeySealing {
    private static final Logger log = LoggerFactory.getLogger(KeySealing.class);

    private final ConfigStore store;
    private final KeyVault vault;

    KeySealing(ConfigStore store, KeyVault vault) {
        this.store = store;
        this.vault = vault;
    }

    void seal(DuetConfig config) {
        KeySealer.Result r = KeySealer.seal(config, vault, Clock.systemUTC());
        if (!r.failed().isEmpty()) {
            log.warn("{} certificates {} of revision {} stay as given: their keys do not load (the data plane says "
                    + "why)", SEAL_FAILED, r.failed(), config.revision());
        }
        if (!r.changed()) {
            return;
        }
        try {
            DuetConfig committed = store.propose(r.config(), config.revision());
            log.info("{} sealed the private keys of certificates {} and the affinity signing keys of pools {} with "
                    + "data key {} ({}): revision {} holds no key in clear", KEYS_SEALED, r.sealed(), r.sealedPools(),
                    vault.keyId(), vault.file(), committed.revision());
        } catch (RevisionConflictException e) {
            log.info("{} revision {} was superseded before its keys were sealed; sealing the newer one", KEYS_SEALED,
                    config.revision());
        } catch (InvalidConfigException | RuntimeException e) {
            log.error("{} sealing the private keys of certificates {} failed: {}", SEAL_FAILED, r.sealed(),
                    e.toString(), e);
        }
    }
}
