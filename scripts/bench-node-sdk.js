// The official Node SDK (npm package `yoti`) doing the get-session loop of `idv-bench e2e`,
// against the same emulator, for scripts/bench.sh. The package is installed by that script
// into a scratch directory (NODE_PATH points there); it is never committed.
//
//   node scripts/bench-node-sdk.js SDK_ID KEY.pem API_URL SESSION_ID CONCURRENCY SECS MAX
//
// Prints one JSON line: {"case":"node-cN","requests","errors","secs","rps","cpu_us_per_request"}
// (CPU time of this process, user + system, per request). Bounded by MAX
// requests and SECS seconds, after a 300 ms warm-up; talks to API_URL (loopback) only.
'use strict';

const fs = require('fs');
const { IDVClient } = require('yoti');

async function run(client, sessionId, concurrency, deadline, max) {
  let started = 0;
  let ok = 0;
  let errors = 0;
  let firstError = null;
  async function worker() {
    while (Date.now() < deadline && started < max) {
      started += 1;
      try {
        await client.getSession(sessionId);
        ok += 1;
      } catch (e) {
        errors += 1;
        firstError = firstError || e;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, errors, firstError };
}

async function main() {
  const [sdkId, keyPath, apiUrl, sessionId, concurrency, secs, max] = process.argv.slice(2);
  if (!max) {
    console.error('usage: bench-node-sdk.js SDK_ID KEY.pem API_URL SESSION_ID CONCURRENCY SECS MAX');
    process.exit(2);
  }
  const client = new IDVClient(sdkId, fs.readFileSync(keyPath, 'utf8'), { apiUrl });
  const c = Number(concurrency);
  await run(client, sessionId, c, Date.now() + 300, Number.MAX_SAFE_INTEGER);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { ok, errors, firstError } = await run(
    client, sessionId, c, Date.now() + Number(secs) * 1000, Number(max),
  );
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({
    case: `node-c${c}`,
    requests: ok,
    errors,
    secs: Number(elapsed.toFixed(3)),
    rps: Number((ok / elapsed).toFixed(1)),
    cpu_us_per_request: Number(((used.user + used.system) / Math.max(ok, 1)).toFixed(1)),
  }));
  if (errors > 0) {
    console.error(`bench-node-sdk: ${errors} requests failed; first: ${firstError && firstError.message}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`bench-node-sdk: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
