// Retryable writes with the official Node.js driver: node retryable.js <uri> <db>
// The server must run with test commands enabled. Each write's reply is dropped once by the
// onPrimaryTransactionalWrite fail point; the driver retries, and every write must apply exactly once.
const assert = require('node:assert/strict');
const { MongoClient } = require('mongodb');

async function main() {
  const [uri, dbName] = process.argv.slice(2);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 15000, retryWrites: true, monitorCommands: true });
  const sent = [];
  client.on('commandStarted', (e) => sent.push(e.commandName));
  await client.connect();
  const admin = client.db('admin');
  const dropNextReply = () => admin.command({
    configureFailPoint: 'onPrimaryTransactionalWrite', mode: { times: 1 }, data: { closeConnection: true },
  });
  const count = (name) => sent.filter((n) => n === name).length;
  try {
    const c = client.db(dbName).collection('retry');
    await dropNextReply();
    await c.insertOne({ _id: 1, n: 0 });
    assert.equal(count('insert'), 2, 'the insert was sent twice');

    await dropNextReply();
    const u = await c.updateOne({ _id: 1 }, { $inc: { n: 1 } });
    assert.equal(count('update'), 2, 'the update was sent twice');
    assert.equal(u.modifiedCount, 1);

    await dropNextReply();
    const after = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    assert.equal(count('findAndModify'), 2, 'findAndModify was sent twice');
    assert.deepEqual(after, { _id: 1, n: 2 });

    await dropNextReply();
    await c.insertMany([{ _id: 2 }, { _id: 3 }]);
    await dropNextReply();
    const d = await c.deleteOne({ _id: 3 });
    assert.equal(d.deletedCount, 1);

    assert.deepEqual(await c.find().sort({ _id: 1 }).toArray(), [{ _id: 1, n: 2 }, { _id: 2 }]);
    console.log('SMOKE OK node-retryable');
  } finally {
    await admin.command({ configureFailPoint: 'onPrimaryTransactionalWrite', mode: 'off' }).catch(() => {});
    await client.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
