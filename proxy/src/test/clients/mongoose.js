// Mongoose against Argon: node mongoose.js <uri> <db>
// connection.transaction() across two models commits both or neither (a throw inside rolls both back), and
// Model.watch() delivers an insert and an update with the document looked up, as an application reacting to
// new labels would use it.
const assert = require('node:assert/strict');
const mongoose = require('mongoose');

async function main() {
  const [uri, dbName] = process.argv.slice(2);
  const conn = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 15000 }).asPromise();
  try {
    const Order = conn.model('Order', new mongoose.Schema({ _id: Number, item: String, qty: Number }));
    const Stock = conn.model('Stock', new mongoose.Schema({ _id: String, n: Number }));
    await Order.createCollection();
    await Stock.createCollection();
    await Stock.create({ _id: 'apple', n: 10 });

    await conn.transaction(async (session) => {
      await Order.create([{ _id: 1, item: 'apple', qty: 2 }], { session });
      await Stock.updateOne({ _id: 'apple' }, { $inc: { n: -2 } }, { session });
      // Outside the transaction nothing shows yet.
      assert.equal(await Order.findById(1).session(null), null, 'an uncommitted order is invisible outside');
    });
    assert.equal((await Order.findById(1).lean()).qty, 2);
    assert.equal((await Stock.findById('apple').lean()).n, 8);

    await assert.rejects(conn.transaction(async (session) => {
      await Order.create([{ _id: 2, item: 'apple', qty: 1 }], { session });
      await Stock.updateOne({ _id: 'apple' }, { $inc: { n: -1 } }, { session });
      throw new Error('payment declined');
    }), /payment declined/);
    assert.equal(await Order.countDocuments(), 1, 'the rolled-back order left nothing');
    assert.equal((await Stock.findById('apple').lean()).n, 8, 'the rolled-back stock change left nothing');

    // Start the stream at the current cluster time, so the inserts below cannot race its opening; the $match
    // keeps the earlier commit that shares that time out.
    const { operationTime } = await conn.db.command({ ping: 1 });
    assert.ok(operationTime, 'ping answers an operationTime');
    const stream = Order.watch([{ $match: { 'documentKey._id': 3 } }], { fullDocument: 'updateLookup', startAtOperationTime: operationTime });
    const events = [];
    const two = new Promise((resolve, reject) => {
      stream.on('change', (e) => { events.push(e); if (events.length === 2) resolve(); });
      stream.on('error', reject);
    });
    await Order.create({ _id: 3, item: 'pear', qty: 5 });
    await Order.updateOne({ _id: 3 }, { $set: { qty: 6 } });
    await Promise.race([two, new Promise((_, rej) => setTimeout(() => rej(new Error('no change events within 15 s: ' + JSON.stringify(events))), 15000))]);
    await stream.close();
    assert.equal(events[0].operationType, 'insert');
    assert.deepEqual(events[0].fullDocument, { _id: 3, item: 'pear', qty: 5, __v: 0 });
    assert.equal(events[1].operationType, 'update');
    assert.deepEqual(events[1].updateDescription.updatedFields, { qty: 6 });
    assert.equal(events[1].fullDocument.qty, 6);
    console.log('SMOKE OK mongoose');
  } finally {
    await conn.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
