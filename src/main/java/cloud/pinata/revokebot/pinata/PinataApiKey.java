package cloud.pinata.revokebot.pinata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One key as {@code GET /users/apiKeys} and the V3 list show it. There is deliberately no {@code secret} field: Jackson skips it
 * while parsing, so a key's secret is never held in an object, logged or stored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PinataApiKey(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("key") String key,
        @JsonProperty("scopes") JsonNode scopes,
        @JsonProperty("revoked") boolean revoked,
        @JsonProperty("createdAt") String createdAt,
        @JsonProperty("max_uses") Integer maxUses) {}
