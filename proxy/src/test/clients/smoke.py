"""Cross-driver smoke check with pymongo: /usr/bin/python3 smoke.py <uri> <db>"""
import sys

import pymongo
from pymongo.errors import DuplicateKeyError


def main(uri, db_name):
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=15000)
    c = client[db_name]["smoke"]
    c.insert_many([{"_id": 1, "n": 1, "tag": "a"}, {"_id": 2, "n": 2, "tag": "b"}, {"_id": 3, "n": 3, "tag": "a"}])
    found = list(c.find({"tag": "a"}).sort("n", pymongo.DESCENDING))
    assert [d["_id"] for d in found] == [3, 1], found
    assert c.update_one({"_id": 2}, {"$inc": {"n": 10}}).modified_count == 1
    assert c.find_one({"_id": 2}) == {"_id": 2, "n": 12, "tag": "b"}
    assert c.delete_many({"tag": "a"}).deleted_count == 2
    c.insert_one({"_id": 4, "n": 4, "tag": "b"})
    agg = list(c.aggregate([{"$group": {"_id": "$tag", "total": {"$sum": "$n"}}}]))
    assert agg == [{"_id": "b", "total": 16}], agg
    try:
        c.insert_one({"_id": 4})
        raise AssertionError("duplicate key not reported")
    except DuplicateKeyError as e:
        assert e.code == 11000
    client.close()
    print("SMOKE OK pymongo")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
