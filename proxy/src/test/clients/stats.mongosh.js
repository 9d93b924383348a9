// Collection statistics as mongosh shows them: mongosh --quiet <uri> --file stats.mongosh.js (db from the URI)
function check(cond, what) {
  if (!cond) { print('SMOKE FAILED: ' + what); quit(1); }
}
const c = db.getCollection('items');
const docs = [];
for (let i = 0; i < 50; i++) docs.push({ _id: i, label: 'l' + (i % 5), pad: 'x'.repeat(i) });
c.insertMany(docs);
c.createIndex({ label: 1 });
const s = c.stats();
const cmd = db.runCommand({ collStats: 'items' });
check(s.ok === 1, 'ok ' + EJSON.stringify(s));
check(s.count === 50, 'count ' + s.count);
check(s.nindexes === 2, 'nindexes ' + s.nindexes);
check(s.size === Number(cmd.size) && s.size > 0, 'size ' + s.size + ' vs ' + cmd.size);
check(Math.abs(s.avgObjSize - s.size / 50) < 1e-9, 'avgObjSize ' + s.avgObjSize);
check(Object.keys(s.indexSizes).join(',') === '_id_,label_1', 'indexSizes ' + EJSON.stringify(s.indexSizes));
check(s.totalIndexSize === Number(cmd.totalIndexSize), 'totalIndexSize ' + s.totalIndexSize);
check(c.totalIndexSize() === s.totalIndexSize, 'totalIndexSize() ' + c.totalIndexSize());
check(c.dataSize() === s.size, 'dataSize() ' + c.dataSize());
check(c.stats({ scale: 1024 }).size === s.size / 1024, 'scaled ' + c.stats({ scale: 1024 }).size);
c.find({ label: 'l3' }).toArray();
const ix = c.aggregate([{ $indexStats: {} }]).toArray().find(x => x.name === 'label_1');
check(ix && Number(ix.accesses.ops) === 1, 'indexStats ' + EJSON.stringify(ix));
print('SMOKE OK mongosh-stats');
