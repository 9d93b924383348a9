"""Index use as pymongo shows it: /usr/bin/python3 explain.py <uri> <db>"""
import sys

import pymongo


def stage(tree, name):
    while tree is not None:
        if tree.get("stage") == name:
            return tree
        tree = tree.get("inputStage")
    return None


def main(uri, db_name):
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=15000)
    c = client[db_name]["labels"]
    c.insert_many([{"_id": i, "label": "l%d" % (i % 100), "split": "test" if i % 5 == 0 else "train"} for i in range(2000)])
    c.create_index([("label", pymongo.ASCENDING), ("split", pymongo.ASCENDING)])
    e = c.find({"label": "l5", "split": "test"}).explain()
    ix = stage(e["queryPlanner"]["winningPlan"], "IXSCAN")
    assert ix is not None and ix["indexName"] == "label_1_split_1", e["queryPlanner"]
    stats = e["executionStats"]
    assert stats["nReturned"] == 20 and stats["totalKeysExamined"] == 20 and stats["totalDocsExamined"] == 20, stats
    assert len(list(c.find({"label": "l5", "split": "test"}))) == 20
    client.close()
    print("SMOKE OK pymongo-explain")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
