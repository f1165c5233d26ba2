package cloud.pinata.revokebot.ops;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for checking exports: an unquoted empty field reads as null, a quoted one as "". */
final class Csv {
    private Csv() {}

    static List<List<String>> parse(String text) {
        var rows = new ArrayList<List<String>>();
        var row = new ArrayList<String>();
        var field = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        int i = 0;
        while (i < text.length()) {
            var c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"') {
                if (field.length() > 0) {
                    throw new IllegalArgumentException("quote inside an unquoted field at " + i);
                }
                quoted = true;
                wasQuoted = true;
                i++;
            } else if (c == ',') {
                row.add(end(field, wasQuoted));
                wasQuoted = false;
                i++;
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(end(field, wasQuoted));
                wasQuoted = false;
                rows.add(row);
                row = new ArrayList<>();
                i += 2;
            } else if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("bare line break outside quotes at " + i);
            } else {
                field.append(c);
                i++;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote");
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(end(field, wasQuoted));
            rows.add(row);
        }
        return rows;
    }

    private static String end(StringBuilder field, boolean wasQuoted) {
        var s = field.toString();
        field.setLength(0);
        return s.isEmpty() && !wasQuoted ? null : s;
    }
}
