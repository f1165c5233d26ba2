package cloud.pinata.revokebot.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Where the bot listens and who may read {@code /metrics}: {@code BIND_ADDRESS} (default every interface),
 * {@code METRICS_TOKEN} (a bearer token for {@code /metrics} on {@code PORT}) and {@code MANAGEMENT_PORT} (a second
 * port, bound to 127.0.0.1 only, serving {@code /metrics} and {@code /health}). With neither of the last two,
 * {@code /metrics} is not served at all.
 */
public record HttpSettings(String bindAddress, Optional<Secret> metricsToken, OptionalInt managementPort) {
    public static final String ALL_INTERFACES = "0.0.0.0";
    public static final String LOOPBACK = "127.0.0.1";
    /** Long enough that it cannot be guessed by trying: 16 random bytes as hex are 32 characters. */
    static final int MIN_TOKEN_LENGTH = 24;

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");

    public HttpSettings {
        if (bindAddress == null || bindAddress.isBlank()) {
            bindAddress = ALL_INTERFACES;
        }
    }

    /** Reads the three variables; every problem goes to {@code problems}, in the words of the start-up message. */
    static HttpSettings fromEnvironment(Map<String, String> env, int port, List<String> problems) {
        var bind = ALL_INTERFACES;
        var bindText = env.get("BIND_ADDRESS");
        if (bindText != null && !bindText.isBlank()) {
            bind = bindText.trim();
            // An IP literal only: a host name would be resolved through DNS at every start.
            if (!IPV4.matcher(bind).matches() && !IPV6.matcher(bind).matches()) {
                problems.add("BIND_ADDRESS must be an IP address such as 127.0.0.1 or 0.0.0.0");
            }
        }

        Optional<Secret> token = Optional.empty();
        var tokenText = env.get("METRICS_TOKEN");
        if (tokenText != null && !tokenText.isBlank()) {
            var t = tokenText.trim();
            if (t.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(t).matches()) {
                problems.add("METRICS_TOKEN must be at least " + MIN_TOKEN_LENGTH
                        + " printable characters without spaces (for example: openssl rand -hex 16)");
            } else {
                token = Optional.of(new Secret(t));
            }
        }

        var management = OptionalInt.empty();
        var managementText = env.get("MANAGEMENT_PORT");
        if (managementText != null && !managementText.isBlank()) {
            try {
                var m = Integer.parseInt(managementText.trim());
                if (m < 0 || m > 65535) {
                    problems.add("MANAGEMENT_PORT must be between 0 and 65535");
                } else if (m != 0 && m == port) {
                    problems.add("MANAGEMENT_PORT must differ from PORT (" + port + ")");
                } else {
                    management = OptionalInt.of(m);
                }
            } catch (NumberFormatException e) {
                problems.add("MANAGEMENT_PORT is not a number");
            }
        }
        return new HttpSettings(bind, token, management);
    }
}
