// Branch selection through connection strings with the Node.js driver:
// node branches.js <base-uri-without-db> <lsn-before-branch-writes>
const assert = require('node:assert/strict');
const { MongoClient } = require('mongodb');

async function withClient(uri, fn) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 15000 });
  await client.connect();
  try { return await fn(client); } finally { await client.close(); }
}

async function main() {
  const [base, lsn] = process.argv.slice(2);
  // database on a branch, from the URI path
  await withClient(`${base}/shopx~nodebr`, async (c) => {
    const coll = c.db().collection('items');
    await coll.updateOne({ _id: 1 }, { $set: { qty: 99 } });
    await coll.deleteOne({ _id: 2 });
  });
  // main is untouched
  await withClient(`${base}/shopx`, async (c) => {
    const docs = await c.db().collection('items').find().sort({ _id: 1 }).toArray();
    assert.deepEqual(docs, [{ _id: 1, qty: 1 }, { _id: 2, qty: 2 }]);
  });
  // the branch shows its own writes; appName selects it as the connection's default branch
  await withClient(`${base}/shopx?appName=branch:nodebr`, async (c) => {
    const docs = await c.db().collection('items').find().toArray();
    assert.deepEqual(docs, [{ _id: 1, qty: 99 }]);
  });
  // time travel: %40 in the URI, a plain @ in db()
  await withClient(`${base}/shopx~main%40${lsn}`, async (c) => {
    const docs = await c.db().collection('items').find().toArray();
    assert.deepEqual(docs, [{ _id: 1, qty: 1 }]);
    await assert.rejects(c.db().collection('items').insertOne({ _id: 7 }), (e) => e.code === 166 && /read-only view/.test(e.message));
  });
  await withClient(base, async (c) => {
    assert.equal(await c.db(`shopx~main@${lsn}`).collection('items').countDocuments(), 1);
  });
  console.log('SMOKE OK node-branches');
}

main().catch((e) => { console.error(e); process.exit(1); });
