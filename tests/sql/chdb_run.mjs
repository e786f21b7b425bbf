// Runs the SQL file argv[3] in a chDB session whose data lives in the
// folder argv[2] (chDB: ClickHouse in-process, from its npm package) and
// prints the result as CSV.
// usage: node chdb_run.mjs DATA-DIR FILE.sql
import { readFileSync } from 'node:fs';
import { Session } from 'chdb';

const [dir, file] = process.argv.slice(2);
const session = new Session(dir);
try {
	process.stdout.write(session.query(readFileSync(file, 'utf8'), 'CSV'));
} catch (e) {
	console.error(String(e.message || e));
	process.exitCode = 1;
} finally {
	session.close();
}
