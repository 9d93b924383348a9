// Snapshot reads with the official Node.js driver: node snapshot.js <uri> <db>
// A session started with {snapshot: true} keeps its view while another client writes: find, aggregate and
// distinct in it see the state of its first read; a write in it is refused by the server (72 InvalidOptions).
const assert = require('node:assert/strict');
const { MongoClient } = require('mongodb');

async function main() {
  const [uri, dbName] = process.argv.slice(2);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 15000 });
  await client.connect();
  try {
    const coll = client.db(dbName).collection('c');
    await coll.insertMany([{ _id: 1, v: 'old' }, { _id: 2, v: 'old' }, { _id: 3, v: 'old' }]);

    const session = client.startSession({ snapshot: true });
    try {
      const cursor = coll.find({}, { session, sort: { _id: 1 }, batchSize: 1 });
      assert.equal((await cursor.next())._id, 1);
      await coll.updateMany({}, { $set: { v: 'new' } });
      await coll.insertOne({ _id: 4, v: 'new' });
      const rest = await cursor.toArray();
      assert.deepEqual(rest, [{ _id: 2, v: 'old' }, { _id: 3, v: 'old' }], 'getMore reads the same snapshot');
      assert.equal((await coll.find({}, { session }).toArray()).length, 3);
      assert.deepEqual(await coll.distinct('v', {}, { session }), ['old']);
      const n = await coll.aggregate([{ $count: 'n' }], { session }).toArray();
      assert.deepEqual(n, [{ n: 3 }]);
      await assert.rejects(coll.insertOne({ _id: 5 }, { session }), (e) => e.code === 72);
    } finally {
      await session.endSession();
    }
    assert.equal(await coll.countDocuments({ v: 'new' }), 4, 'outside the snapshot the head is the writers\' state');
    assert.equal(await coll.findOne({ _id: 5 }), null, 'the refused write left nothing');
    console.log('SMOKE OK node-snapshot');
  } finally {
    await client.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
