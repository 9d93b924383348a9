// Change streams with the official Node.js driver: node changestream.js <uri> <db>
// watch() with fullDocument: 'updateLookup' reports an insert and an update whose fullDocument is the document as
// of that update; a stream on a branch (db~branch) sees that branch's writes only; resumeAfter continues after a token.
const assert = require('node:assert/strict');
const { MongoClient } = require('mongodb');

async function next(stream) {
  const e = await stream.tryNext() ?? await stream.tryNext() ?? await stream.tryNext();
  assert.ok(e, 'an event within three awaiting getMores');
  return e;
}

async function main() {
  const [uri, dbName] = process.argv.slice(2);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 15000 });
  await client.connect();
  try {
    const items = client.db(dbName).collection('items');
    const stream = items.watch([], { fullDocument: 'updateLookup', maxAwaitTimeMS: 2000 });
    await stream.tryNext(); // opens the stream before the writes
    await items.insertOne({ _id: 1, n: 1 });
    await items.updateOne({ _id: 1 }, { $inc: { n: 1 } });
    await items.updateOne({ _id: 1 }, { $set: { tag: 'x' } });
    const ins = await next(stream);
    assert.equal(ins.operationType, 'insert');
    assert.deepEqual(ins.fullDocument, { _id: 1, n: 1 });
    assert.deepEqual(ins.ns, { db: dbName, coll: 'items' });
    const upd = await next(stream);
    assert.equal(upd.operationType, 'update');
    assert.deepEqual(upd.updateDescription.updatedFields, { n: 2 });
    assert.deepEqual(upd.fullDocument, { _id: 1, n: 2 }, 'the document as of this update');
    const token = upd._id;
    assert.deepEqual((await next(stream)).fullDocument, { _id: 1, n: 2, tag: 'x' });
    await stream.close();

    const resumed = items.watch([], { resumeAfter: token, maxAwaitTimeMS: 2000 });
    assert.deepEqual((await next(resumed)).updateDescription.updatedFields, { tag: 'x' });
    await resumed.close();

    await client.db('admin').command({ createBranch: 'nodecs' });
    const onBranch = client.db(`${dbName}~nodecs`).collection('items').watch([], { maxAwaitTimeMS: 500 });
    await onBranch.tryNext();
    await items.insertOne({ _id: 'main-only' });
    await client.db(`${dbName}~nodecs`).collection('items').insertOne({ _id: 'branch-only' });
    const b = await next(onBranch);
    assert.equal(b.documentKey._id, 'branch-only', 'a branch stream never sees main');
    await onBranch.close();
    console.log('SMOKE OK node-changestream');
  } finally {
    await client.close();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
