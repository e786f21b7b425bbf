// The benchmark's funnel as a DuckDB user writes it (@duckdb/node-api, the
// engine inside the npm package): read_csv into a table (rowid is the file
// row), then per step an ASOF JOIN to each unit's next step event after the
// previous one, ordered by (time, file row) as aipm orders them, kept when
// within the window of the step-1 event. Prints the units reaching each
// step, comma-separated.
// usage: node funnel_duckdb.mjs FILE WINDOW_SECONDS STEP1 STEP2 ...
import { DuckDBInstance } from '@duckdb/node-api';

const [file, window, ...steps] = process.argv.slice(2);
const quote = (s) => `'${s.replace(/'/g, "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
try {
	await db.run(`CREATE TABLE raw AS
		SELECT user_id, event, timestamp
		FROM read_csv(${quote(file)}, header = true, all_varchar = true)`);
	// one sort key for (time, row): seconds in the high bits, the row below
	await db.run(`CREATE TABLE ev AS
		SELECT user_id, event, epoch(ts)::BIGINT AS t, epoch(ts)::BIGINT * 67108864 + r AS k
		FROM (SELECT user_id, event, TRY_CAST(timestamp AS TIMESTAMPTZ) AS ts, rowid AS r FROM raw)
		WHERE ts IS NOT NULL AND user_id <> '' AND event IN (${steps.map(quote).join(', ')})`);
	await db.run(`CREATE TABLE s1 AS
		SELECT user_id, k AS k1, t AS t1, k AS kprev FROM ev WHERE event = ${quote(steps[0])}`);
	for (let j = 2; j <= steps.length; j++)
		await db.run(`CREATE TABLE s${j} AS
			SELECT s.user_id, s.k1, s.t1, e.k AS kprev
			FROM s${j - 1} s ASOF JOIN (SELECT user_id, k, t FROM ev WHERE event = ${quote(steps[j - 1])}) e
			  ON s.user_id = e.user_id AND s.kprev < e.k
			WHERE e.t - s.t1 <= ${Number(window)}`);
	const counts = steps.map((_, i) => `(SELECT count(DISTINCT user_id) FROM s${i + 1})`);
	const reader = await db.runAndReadAll(`SELECT ${counts.join(', ')}`);
	console.log(reader.getRows()[0].map(String).join(','));
} catch (e) {
	console.error(String(e.message || e));
	process.exitCode = 1;
} finally {
	db.closeSync();
	instance.closeSync();
}
