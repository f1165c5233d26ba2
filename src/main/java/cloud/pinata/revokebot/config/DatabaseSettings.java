package cloud.pinata.revokebot.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Where the bot keeps its requests and audit trail: a JDBC URL plus credentials kept out of it. */
public record DatabaseSettings(String jdbcUrl, Optional<String> user, Optional<Secret> password) {

    public boolean isSqlite() {
        return jdbcUrl.startsWith("jdbc:sqlite:");
    }

    /**
     * Accepts empty (embedded SQLite), {@code jdbc:sqlite:}, {@code jdbc:postgresql:} (as given) and Heroku's
     * {@code postgres://}, which gets {@code sslmode=require} unless it names {@code sslmode} or {@code ssl} itself.
     */
    public static DatabaseSettings fromUrl(String url) {
        if (url == null || url.isBlank()) {
            return new DatabaseSettings(Config.DEFAULT_DATABASE_URL, Optional.empty(), Optional.empty());
        }
        var trimmed = url.trim();
        if (trimmed.startsWith("jdbc:sqlite:") || trimmed.startsWith("jdbc:postgresql://")) {
            return new DatabaseSettings(trimmed, Optional.empty(), Optional.empty());
        }
        if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("DATABASE_URL is not a valid postgres:// URL");
            }
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new IllegalArgumentException("DATABASE_URL must look like postgres://user:pass@host:5432/dbname");
            }
            // TLS by default: the driver's own default (prefer) falls back to plain text and verifies nothing. A URL
            // that names sslmode (or ssl) keeps its choice, e.g. ?sslmode=verify-full&sslrootcert=/path/to/ca.pem.
            var query = uri.getRawQuery() == null || uri.getRawQuery().isEmpty() ? null : uri.getRawQuery();
            if (query == null || !namesTls(query)) {
                query = query == null ? "sslmode=require" : query + "&sslmode=require";
            }
            var jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getRawPath() + "?" + query;
            Optional<String> user = Optional.empty();
            Optional<Secret> password = Optional.empty();
            var info = uri.getRawUserInfo();
            if (info != null && !info.isEmpty()) {
                var colon = info.indexOf(':');
                user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
                if (colon >= 0) {
                    password = Optional.of(new Secret(decode(info.substring(colon + 1))));
                }
            }
            return new DatabaseSettings(jdbc, user, password);
        }
        throw new IllegalArgumentException(
                "DATABASE_URL must start with jdbc:sqlite:, jdbc:postgresql:// or postgres:// (got an unsupported scheme)");
    }

    /** True when the query string sets {@code sslmode} or {@code ssl} itself. */
    private static boolean namesTls(String query) {
        for (var param : query.split("&")) {
            var name = param.split("=", 2)[0].toLowerCase(java.util.Locale.ROOT);
            if (name.equals("sslmode") || name.equals("ssl")) {
                return true;
            }
        }
        return false;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // A jdbc:postgresql URL may carry ?password=…; show only the scheme and host part.
        var q = jdbcUrl.indexOf('?');
        return "DatabaseSettings[" + (q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…") + ", user=" + user.orElse("-")
                + "]";
    }
}
