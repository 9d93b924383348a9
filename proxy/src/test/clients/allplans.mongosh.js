// explain('allPlansExecution') as mongosh shows it: mongosh --quiet <uri> --file allplans.mongosh.js (db from the URI)
function check(cond, what) {
  if (!cond) { print('SMOKE FAILED: ' + what); quit(1); }
}
function index(tree) {
  for (let s = tree; s; s = s.inputStage) { if (s.indexName) return s.indexName; }
  return null;
}
const c = db.getCollection('plans');
const docs = [];
// few: 10 documents (the last ids); many: 2,000, starting with documents that are not among the few.
for (let i = 0; i < 3000; i++) docs.push({ _id: i, few: i >= 2990 ? 1 : 0, many: i < 1990 || i >= 2990 ? 1 : 0 });
c.insertMany(docs);
c.createIndex({ few: 1 });
c.createIndex({ many: 1 });
const e = c.find({ few: 1, many: 1 }).explain('allPlansExecution');
const all = e.executionStats.allPlansExecution;
check(Array.isArray(all) && all.length === 2, 'two candidates: ' + EJSON.stringify(all));
const byIndex = {};
for (const p of all) byIndex[index(p.executionStages)] = p;
check(index(all[0].executionStages) === index(e.queryPlanner.winningPlan), 'winner first');
check(byIndex.few_1.nReturned === 10 && byIndex.few_1.totalKeysExamined === 10, 'few_1 ' + EJSON.stringify(byIndex.few_1));
check(byIndex.many_1.totalKeysExamined === 10 && byIndex.many_1.totalDocsExamined === 10 && byIndex.many_1.nReturned === 0,
  'many_1 ' + EJSON.stringify(byIndex.many_1));
check(e.executionStats.nReturned === 10, 'executionStats');
print('SMOKE OK mongosh-allplans');
