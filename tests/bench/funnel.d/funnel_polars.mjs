// The benchmark's funnel as a Polars user writes it (nodejs-polars): readCSV,
// times parsed with strptime, then per step a joinAsof (forward, by unit) to
// the next step event after the previous one, ordered by (time, file row) as
// aipm orders them, kept when within the window of the step-1 event. Prints
// the units reaching each step, comma-separated.
// usage: node funnel_polars.mjs FILE WINDOW_SECONDS STEP1 STEP2 ...
import pl from 'nodejs-polars';

const [file, windowText, ...steps] = process.argv.slice(2);
const window = Number(windowText);
const raw = pl
	.readCSV(file, { columns: ['user_id', 'event', 'timestamp'], dtypes: { user_id: pl.Utf8, event: pl.Utf8, timestamp: pl.Utf8 } })
	.withRowIndex('row');
const t = pl.col('timestamp').str.strptime(pl.Datetime('ms'), '%Y-%m-%dT%H:%M:%SZ').dt.timestamp('ms').div(1000).cast(pl.Int64);
const ev = raw
	.withColumns(t.alias('t'))
	.filter(pl.col('t').isNotNull().and(pl.col('user_id').neq(pl.lit(''))).and(pl.col('event').isIn(steps)))
	// one sort key for (time, row): seconds in the high bits, the row below
	.withColumns(pl.col('t').mul(pl.lit(67108864).cast(pl.Int64)).add(pl.col('row').cast(pl.Int64)).alias('k'));
let alive = ev
	.filter(pl.col('event').eq(pl.lit(steps[0])))
	.select(pl.col('user_id'), pl.col('k').alias('k1'), pl.col('t').alias('t1'), pl.col('k').alias('kprev'))
	.sort('kprev');
const counts = [alive.select(pl.col('user_id').nUnique()).getColumn('user_id').get(0)];
for (const step of steps.slice(1)) {
	const next = ev.filter(pl.col('event').eq(pl.lit(step))).select('user_id', 'k', 't').sort('k');
	alive = alive
		.joinAsof(next, { leftOn: 'kprev', rightOn: 'k', by: 'user_id', strategy: 'forward' })
		.filter(pl.col('k').isNotNull().and(pl.col('t').sub(pl.col('t1')).lessThanEquals(window)))
		.select('user_id', 'k1', 't1', pl.col('k').alias('kprev'))
		.sort('kprev');
	counts.push(alive.select(pl.col('user_id').nUnique()).getColumn('user_id').get(0));
}
console.log(counts.join(','));
