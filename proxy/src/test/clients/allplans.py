"""explain's allPlansExecution as pymongo shows it: /usr/bin/python3 allplans.py <uri> <db>"""
import sys

import pymongo


def index(tree):
    while tree:
        if "indexName" in tree:
            return tree["indexName"]
        tree = tree.get("inputStage")
    return None


def main(uri, db_name):
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=15000)
    c = client[db_name]["plans"]
    # few: 10 documents (the last ids); many: 2,000, starting with documents that are not among the few.
    c.insert_many([{"_id": i, "few": 1 if i >= 2990 else 0, "many": 1 if i < 1990 or i >= 2990 else 0} for i in range(3000)])
    c.create_index("many")
    c.create_index("few")
    # pymongo's explain() sends no verbosity: the server's default, allPlansExecution.
    e = c.find({"few": 1, "many": 1}).explain()
    assert index(e["queryPlanner"]["winningPlan"]) == "few_1", e["queryPlanner"]
    trials = {index(p["executionStages"]): p for p in e["executionStats"]["allPlansExecution"]}
    assert set(trials) == {"few_1", "many_1"}, e["executionStats"]
    assert index(e["executionStats"]["allPlansExecution"][0]["executionStages"]) == "few_1", "winner first"
    assert trials["few_1"]["nReturned"] == 10 and trials["few_1"]["totalKeysExamined"] == 10, trials["few_1"]
    assert trials["many_1"]["totalKeysExamined"] == 10 and trials["many_1"]["nReturned"] == 0, trials["many_1"]
    assert e["executionStats"]["nReturned"] == 10, e["executionStats"]
    client.close()
    print("SMOKE OK pymongo-allplans")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
