// Driver monitoring under load with the official Node.js driver:
//   node monitoring.js <uri> <db> <seconds> <heartbeatFrequencyMS>
// Runs concurrent inserts and finds for <seconds> while the driver monitors the server with the streaming
// protocol (awaitable hello with exhaust), and prints one line "RESULT <json>" with what the driver reported:
// heartbeats that succeeded (and how many of them were awaited), heartbeats that failed, connection pool
// clears, and operations that failed. The caller decides what is acceptable.
const { MongoClient } = require('mongodb');

async function main() {
  const [uri, dbName, secondsArg, heartbeatArg] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const heartbeatFrequencyMS = Number(heartbeatArg);
  const client = new MongoClient(uri, { heartbeatFrequencyMS, serverSelectionTimeoutMS: 15000 });
  const result = {
    heartbeatsSucceeded: 0, heartbeatsAwaited: 0, heartbeatsFailed: 0, heartbeatFailures: [],
    poolsCleared: 0, operations: 0, operationsFailed: 0, operationFailures: [],
  };
  const keep = (list, what) => { if (list.length < 5) list.push(String(what)); };
  client.on('serverHeartbeatSucceeded', (e) => {
    result.heartbeatsSucceeded++;
    if (e.awaited) result.heartbeatsAwaited++;
  });
  client.on('serverHeartbeatFailed', (e) => { result.heartbeatsFailed++; keep(result.heartbeatFailures, e.failure); });
  client.on('connectionPoolCleared', () => { result.poolsCleared++; });
  await client.connect();
  let seen;
  try {
    const c = client.db(dbName).collection('load');
    const end = Date.now() + seconds * 1000;
    const worker = async (w) => {
      for (let i = 0; Date.now() < end; i++) {
        try {
          await c.insertOne({ w, i });
          await c.find({ w }).sort({ _id: -1 }).limit(5).toArray();
          result.operations += 2;
        } catch (e) {
          result.operationsFailed++;
          keep(result.operationFailures, e);
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    // Counted before close(), which ends the monitors on purpose.
    seen = JSON.stringify(result);
  } finally {
    await client.close();
  }
  console.log('RESULT ' + seen);
}

main().catch((e) => { console.error(e); process.exit(1); });
