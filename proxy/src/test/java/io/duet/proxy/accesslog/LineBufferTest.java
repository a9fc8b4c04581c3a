package io.duet.proxy.accesslog;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LineBufferTest {
    // Text appended whole, or char by char through the writer Jackson uses, gives the JDK encoder's bytes,
    // including its '?' for lone surrogates and four bytes for pairs (random strings, fixed seed).
    @Test
    void encodesLikeTheJdk() throws IOException {
        Random random = new Random(42);
        char[] alphabet = {'a', ' ', '~', '\u007f', '\u00e9', '\u07ff', '\u0800', '\u20ac', '\uffff', '\ud83d',
                '\ude00', '\udbff', '\udfff'};
        for (int round = 0; round < 2_000; round++) {
            char[] cs = new char[random.nextInt(40)];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String s = new String(cs);
            byte[] expected = (s + "\n").getBytes(StandardCharsets.UTF_8);

            LineBuffer whole = new LineBuffer(4);
            whole.text(s).ascii('\n');
            assertThat(Arrays.copyOf(whole.array(), whole.length())).as(s).isEqualTo(expected);

            LineBuffer chars = new LineBuffer(4);
            for (char c : cs) {
                chars.writer().write(c);
            }
            chars.writer().write("\n");
            assertThat(Arrays.copyOf(chars.array(), chars.length())).as(s).isEqualTo(expected);
        }
    }

    // Numbers, zero padding, truncation to a mark, clearing.
    @Test
    void numbersAndMarks() {
        LineBuffer b = new LineBuffer(2);
        b.number(0).ascii(' ').number(-42).ascii(' ').number(Long.MAX_VALUE).ascii(' ').number(Long.MIN_VALUE)
                .ascii(' ').padded(7, 3).ascii(' ').padded(1234, 3);
        assertThat(new String(b.array(), 0, b.length(), StandardCharsets.US_ASCII))
                .isEqualTo("0 -42 9223372036854775807 -9223372036854775808 007 1234");
        int mark = b.length();
        b.text("more");
        b.truncate(mark);
        assertThat(b.length()).isEqualTo(mark);
        b.clear();
        assertThat(b.length()).isZero();
    }
}
