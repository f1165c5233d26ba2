package cloud.pinata.revokebot.pinata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One page of {@code GET /users/apiKeys}. {@code count} is Pinata's total, when it sends one. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiKeyPage(
        @JsonProperty("keys") List<PinataApiKey> keys,
        @JsonProperty("count") Integer count) {
    public ApiKeyPage {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }
}
