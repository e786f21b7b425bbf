// The benchmark's funnel as a ClickHouse user writes it, on chDB (ClickHouse
// in-process, from its npm package): windowFunnel over the CSV read where it
// lies, its times parsed by ClickHouse. windowFunnel orders events at the
// same second by step, not by file row, so a few units count otherwise than
// in aipm; the bench prints by how much. Prints the units reaching each
// step, comma-separated.
// usage: node funnel_chdb.mjs FILE WINDOW_SECONDS STEP1 STEP2 ...
import { query } from 'chdb';

const [file, window, ...steps] = process.argv.slice(2);
const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const conditions = steps.map((s) => `event = ${quote(s)}`).join(', ');
const levels = steps.map((_, i) => `countIf(level >= ${i + 1})`).join(', ');
const sql = `
SELECT ${levels}
FROM (
    SELECT user_id, windowFunnel(${Number(window)})(assumeNotNull(t), ${conditions}) AS level
    FROM (
        SELECT user_id, event, parseDateTimeBestEffortOrNull(timestamp, 'UTC') AS t
        FROM file(${quote(file)}, CSVWithNames,
                  'user_id String, event String, timestamp String')
    )
    WHERE t IS NOT NULL AND user_id != '' AND event IN (${steps.map(quote).join(', ')})
    GROUP BY user_id
)`;
try {
	process.stdout.write(query(sql, 'CSV'));
} catch (e) {
	console.error(String(e.message || e));
	process.exitCode = 1;
}
