// Cross-driver smoke check with the official Node.js driver: node smoke.js <uri> <db>
const assert = require('node:assert/strict');
const { MongoClient } = require('mongodb');

async function main() {
  const [uri, dbName] = process.argv.slice(2);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 15000 });
  await client.connect();
  try {
    const c = client.db(dbName).collection('smoke');
    await c.insertMany([{ _id: 1, n: 1, tag: 'a' }, { _id: 2, n: 2, tag: 'b' }, { _id: 3, n: 3, tag: 'a' }]);
    assert.deepEqual(await c.find({ tag: 'a' }).sort({ n: -1 }).toArray(),
      [{ _id: 3, n: 3, tag: 'a' }, { _id: 1, n: 1, tag: 'a' }]);
    const u = await c.updateOne({ _id: 2 }, { $inc: { n: 10 }, $set: { seen: true } });
    assert.equal(u.modifiedCount, 1);
    assert.deepEqual(await c.findOne({ _id: 2 }), { _id: 2, n: 12, tag: 'b', seen: true });
    const d = await c.deleteMany({ tag: 'a' });
    assert.equal(d.deletedCount, 2);
    await c.insertMany([{ _id: 4, n: 4, tag: 'b' }, { _id: 5, n: 5, tag: 'c' }]);
    const agg = await c.aggregate([{ $group: { _id: '$tag', total: { $sum: '$n' } } }, { $sort: { _id: 1 } }]).toArray();
    assert.deepEqual(agg, [{ _id: 'b', total: 16 }, { _id: 'c', total: 5 }]);
    await assert.rejects(c.insertOne({ _id: 4 }), (e) => e.code === 11000);
    console.log('SMOKE OK node');
  } finally {
    await client.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
