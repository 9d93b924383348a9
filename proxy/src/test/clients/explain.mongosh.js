// Index use as mongosh shows it: mongosh --quiet <uri> --file explain.mongosh.js (db from the URI)
function check(cond, what) {
  if (!cond) { print('SMOKE FAILED: ' + what); quit(1); }
}
function stage(tree, name) {
  for (let s = tree; s; s = s.inputStage) { if (s.stage === name) return s; }
  return null;
}
const c = db.getCollection('labels');
const docs = [];
for (let i = 0; i < 2000; i++) docs.push({ _id: i, label: 'l' + (i % 100), score: (i * 7) % 2000 / 2000 });
c.insertMany(docs);
c.createIndex({ label: 1, score: -1 });
const e = c.find({ label: 'l7' }).explain('executionStats');
const ix = stage(e.queryPlanner.winningPlan, 'IXSCAN');
check(ix && ix.indexName === 'label_1_score_-1', 'winning plan ' + EJSON.stringify(e.queryPlanner.winningPlan));
check(e.executionStats.nReturned === 20, 'nReturned ' + e.executionStats.nReturned);
check(e.executionStats.totalKeysExamined === 20 && e.executionStats.totalDocsExamined === 20,
  'examined ' + e.executionStats.totalKeysExamined + '/' + e.executionStats.totalDocsExamined);
const top = c.find({ label: 'l7' }).sort({ score: -1 }).limit(5).explain('executionStats');
check(stage(top.queryPlanner.winningPlan, 'SORT') === null, 'sort served by the index');
check(top.executionStats.totalKeysExamined <= 5, 'keys for top 5: ' + top.executionStats.totalKeysExamined);
const scan = c.find({ label: 'l7' }).hint({ $natural: 1 }).explain('executionStats');
check(scan.queryPlanner.winningPlan.stage === 'COLLSCAN' && scan.executionStats.totalDocsExamined === 2000, 'natural hint');
check(c.find({ label: 'l7' }).count() === 20, 'count');
print('SMOKE OK mongosh-explain');
