"""Hostile names and storage figures as pymongo sees them: /usr/bin/python3 names.py <uri>"""
import sys

import pymongo
from pymongo.errors import OperationFailure


def code_of(fn):
    try:
        fn()
    except OperationFailure as e:
        return e.code
    raise AssertionError("no error")


def main(uri):
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=15000)
    admin = client.admin
    client["pyshop"]["items"].insert_many([{"_id": i, "v": "x" * 200} for i in range(100)])
    bad_names = ["..", "../escape", "/abs", "a\x00b", "x" * 65, "a\uff0fb", "cafe\u0301", "a\u202eb", "\uff4d\uff41\uff49\uff4e"]
    before = sorted(b["name"] for b in admin.command("listBranches")["branches"])
    for bad in bad_names:
        assert code_of(lambda: admin.command("createBranch", bad)) == 2, repr(bad)
    # A look-alike of main is not main: the database name resolves to no branch.
    assert code_of(lambda: client["pyshop~\uff4d\uff41\uff49\uff4e"]["items"].insert_one({"_id": "x"})) == 26
    assert code_of(lambda: client["pyshop"]["c" * 260].insert_one({"_id": 1})) == 73
    assert client["pyshop"]["items"].count_documents({}) == 100
    names = sorted(b["name"] for b in admin.command("listBranches")["branches"])
    assert names == before, names
    s = admin.command("argonStorage", flush=True)
    assert s["rocksdb"]["bytes"] > 0, s
    assert s["versions"]["compressionRatio"] > 1, s["versions"]
    assert sorted(b["name"] for b in s["branches"]) == before, s["branches"]
    assert s["bucket"]["configured"] is False
    client.close()
    print("SMOKE OK pymongo-names")


if __name__ == "__main__":
    main(sys.argv[1])
