// Cross-driver smoke check run by mongosh: mongosh --quiet <uri> --file smoke.mongosh.js (db from the URI)
function check(cond, what) {
  if (!cond) { print('SMOKE FAILED: ' + what); quit(1); }
}
const c = db.getCollection('smoke');
c.insertMany([{ _id: 1, n: 1, tag: 'a' }, { _id: 2, n: 2, tag: 'b' }, { _id: 3, n: 3, tag: 'a' }]);
const found = c.find({ tag: 'a' }).sort({ n: -1 }).toArray();
check(found.length === 2 && found[0]._id === 3, 'sorted find ' + EJSON.stringify(found));
check(c.updateOne({ _id: 2 }, { $inc: { n: 10 } }).modifiedCount === 1, 'updateOne');
check(c.findOne({ _id: 2 }).n === 12, 'update applied');
check(c.deleteMany({ tag: 'a' }).deletedCount === 2, 'deleteMany');
c.insertOne({ _id: 4, n: 4, tag: 'b' });
const agg = c.aggregate([{ $group: { _id: '$tag', total: { $sum: '$n' } } }]).toArray();
check(agg.length === 1 && agg[0].total === 16, 'aggregate ' + EJSON.stringify(agg));
let dup = null;
try { c.insertOne({ _id: 4 }); } catch (e) { dup = e; }
check(dup !== null && dup.code === 11000, 'duplicate key');
check(db.getSiblingDB('admin').runCommand({ ping: 1 }).ok === 1, 'ping');
print('SMOKE OK mongosh');
