package io.duet.appliance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what `duet cluster init` printed, as an operator copies it. */
public final class InitOutput {
    private InitOutput() {
    }

    /** The join token printed for {@code node} ("on NODE:  duet cluster join [--witness ]--token TOKEN"). */
    public static String tokenFor(String initOutput, String node) {
        Matcher m = Pattern.compile("on " + Pattern.quote(node) + ": +duet cluster join (?:--witness )?--token (\\S+)")
                .matcher(initOutput);
        if (!m.find()) {
            throw new AssertionError("no token for " + node + " in:\n" + initOutput);
        }
        return m.group(1);
    }
}
