package cloud.pinata.revokebot.revocation;

/** Where JWTs are in a text, for {@link SecretDetector}: found by their shape, in one pass, without a regex. */
final class JwtShape {
    private JwtShape() {}

    /**
     * Where the next JWT starts at or after {@code from}, or -1: {@code eyJ} (the header, base64url of <code>{"</code>)
     * and 5+ more base64url characters, a dot, 2+ characters, a dot, and any number. Linear in the text's length: a
     * run of base64url characters that is not followed by a dot cannot start a JWT anywhere in it, so the search goes
     * on after the run (a regular expression would try every {@code eyJ} in the run again, and a long run of them
     * would cost the square of its length).
     */
    static int next(String text, int from) {
        var i = from;
        while (i <= text.length() - 3) {
            var at = text.indexOf("eyJ", i);
            if (at < 0) {
                return -1;
            }
            var header = runEnd(text, at);
            if (header - at >= 8 && header < text.length() && text.charAt(header) == '.') {
                var payload = runEnd(text, header + 1);
                if (payload - header - 1 >= 2 && payload < text.length() && text.charAt(payload) == '.') {
                    return at;
                }
            }
            i = Math.max(header, at + 1);
        }
        return -1;
    }

    /** The end of the JWT that starts at {@code at} (see {@link #next}). */
    static int end(String text, int at) {
        var header = runEnd(text, at);
        var payload = runEnd(text, header + 1);
        return runEnd(text, payload + 1);
    }

    private static int runEnd(CharSequence text, int from) {
        var i = from;
        while (i < text.length() && isBase64Url(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
