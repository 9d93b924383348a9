// Driver monitoring under load in mongosh:
//   mongosh --quiet --norc '<uri>?heartbeatFrequencyMS=500' --eval 'const SECONDS = 10' --file monitoring.mongosh.js
// Runs a loop of writes and reads for SECONDS while mongosh's driver monitors the server with the streaming
// protocol, counting the heartbeat and pool events of the MongoClient behind the shell, and prints one line
// "RESULT <json>". The caller decides what is acceptable.
const result = {
  heartbeatsSucceeded: 0, heartbeatsAwaited: 0, heartbeatsFailed: 0, heartbeatFailures: [],
  poolsCleared: 0, operations: 0, operationsFailed: 0, operationFailures: [], listening: false,
};
const keep = (list, what) => { if (list.length < 5) list.push(String(what)); };
// The shell's service provider holds the Node.js driver's MongoClient; its events are the driver's own.
const driver = db.getMongo()._serviceProvider && db.getMongo()._serviceProvider.mongoClient;
if (driver && typeof driver.on === 'function') {
  result.listening = true;
  driver.on('serverHeartbeatSucceeded', (e) => { result.heartbeatsSucceeded++; if (e.awaited) result.heartbeatsAwaited++; });
  driver.on('serverHeartbeatFailed', (e) => { result.heartbeatsFailed++; keep(result.heartbeatFailures, e.failure); });
  driver.on('connectionPoolCleared', () => { result.poolsCleared++; });
}
const c = db.getCollection('load');
const end = Date.now() + SECONDS * 1000;
for (let i = 0; Date.now() < end; i++) {
  try {
    c.insertOne({ i });
    c.find({ i: { $gte: i - 5 } }).toArray();
    result.operations += 2;
  } catch (e) {
    result.operationsFailed++;
    keep(result.operationFailures, e);
  }
}
print('RESULT ' + JSON.stringify(result));
