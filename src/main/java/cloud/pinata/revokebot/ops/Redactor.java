package cloud.pinata.revokebot.ops;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.config.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The last line of defence for command-line output: every secret the environment holds, and any {@code password=…}
 * in a URL, is replaced by {@code [REDACTED]} before a line is printed. Control characters become {@code ?}.
 */
final class Redactor {
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&\\s)]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)(postgres(?:ql)?://[^:/@\\s]*:)[^@\\s]*@");
    private static final int SHORTEST_SECRET = 6;

    private final List<String> secrets;

    Redactor(Map<String, String> env) {
        var found = new ArrayList<String>();
        for (var name : List.of("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "PINATA_ADMIN_JWT")) {
            var value = env.get(name);
            if (value != null) {
                found.add(value);
                found.add(value.trim());
                // The parts of a JWT (its payload carries the key's secret) are secrets on their own too.
                for (var part : value.trim().split("\\.")) {
                    found.add(part);
                }
            }
        }
        try {
            DatabaseSettings.fromUrl(env.get("DATABASE_URL"))
                    .password()
                    .map(Secret::reveal)
                    .ifPresent(found::add);
        } catch (IllegalArgumentException ignored) {
            // an unparseable DATABASE_URL is reported as a configuration problem, without its value
        }
        this.secrets = found.stream()
                .filter(s -> s.length() >= SHORTEST_SECRET)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    String clean(String line) {
        var out = line;
        for (var secret : secrets) {
            out = out.replace(secret, "[REDACTED]");
        }
        out = PASSWORD_PARAM.matcher(out).replaceAll("$1[REDACTED]");
        out = URL_USER_INFO.matcher(out).replaceAll("$1[REDACTED]@");
        return out.replaceAll("[\\p{Cntrl}&&[^\\t]]", "?");
    }
}
