// Runs the SQL file argv[3] on the DuckDB database file argv[2] with the
// @duckdb/node-api package (its engine ships inside it) and prints the
// last statement's rows as comma-separated values, one row a line.
// usage: node duckdb_run.mjs DB.duckdb FILE.sql
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [db, file] = process.argv.slice(2);
const instance = await DuckDBInstance.create(db);
const connection = await instance.connect();
try {
	const reader = await connection.runAndReadAll(readFileSync(file, 'utf8'));
	for (const row of reader.getRows())
		console.log(row.map((v) => (v === null ? '' : String(v))).join(','));
} catch (e) {
	console.error(String(e.message || e));
	process.exitCode = 1;
} finally {
	connection.closeSync();
	instance.closeSync();
}
