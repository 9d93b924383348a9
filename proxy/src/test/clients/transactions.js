// Transactions with the official Node.js driver: node transactions.js <uri> <db>
// withTransaction commits two collections atomically as one commit; concurrent withTransaction increments of
// one counter all land (the driver retries on TransientTransactionError); an aborted transaction leaves nothing.
const assert = require('node:assert/strict');
const { MongoClient } = require('mongodb');

async function main() {
  const [uri, dbName] = process.argv.slice(2);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 15000 });
  await client.connect();
  try {
    const db = client.db(dbName);
    const orders = db.collection('orders');
    const stock = db.collection('stock');
    await stock.insertOne({ _id: 'apple', n: 10 });

    const session = client.startSession();
    try {
      await session.withTransaction(async () => {
        await orders.insertOne({ _id: 1, item: 'apple' }, { session, comment: 'node order' });
        await stock.updateOne({ _id: 'apple' }, { $inc: { n: -1 } }, { session });
        // Inside: own writes visible; outside: nothing yet.
        assert.equal(await orders.countDocuments({}, { session }), 1);
        assert.equal(await client.db(dbName).collection('orders').findOne({ _id: 1 }), null);
      });
    } finally {
      await session.endSession();
    }
    assert.deepEqual(await orders.findOne({ _id: 1 }), { _id: 1, item: 'apple' });
    assert.equal((await stock.findOne({ _id: 'apple' })).n, 9);
    const log = await client.db('admin').command({ branchLog: 'main', ns: `${dbName}.orders`, limit: 1 });
    assert.equal(log.cursor.firstBatch[0].comment, 'node order');

    const counter = db.collection('counter');
    await counter.insertOne({ _id: 'x', n: 0 });
    const worker = async () => {
      for (let i = 0; i < 10; i++) {
        const s = client.startSession();
        try {
          await s.withTransaction(async () => {
            const d = await counter.findOne({ _id: 'x' }, { session: s });
            await counter.updateOne({ _id: 'x' }, { $set: { n: d.n + 1 } }, { session: s });
          });
        } finally {
          await s.endSession();
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    assert.equal((await counter.findOne({ _id: 'x' })).n, 30, 'no lost update');

    const s = client.startSession();
    s.startTransaction();
    await orders.insertOne({ _id: 2 }, { session: s });
    await s.abortTransaction();
    await s.endSession();
    assert.equal(await orders.countDocuments(), 1, 'the aborted insert left nothing');
    console.log('SMOKE OK node-transactions');
  } finally {
    await client.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
