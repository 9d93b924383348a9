"""Driver monitoring under load with pymongo:
    /usr/bin/python3 monitoring.py <uri> <db> <seconds> <heartbeatFrequencyMS>
Runs inserts and finds from a few threads for <seconds> while pymongo monitors the server (pymongo 3.11 streams
awaitable hellos with exhaust when the server advertises topologyVersion) and prints one line "RESULT <json>"
with what the driver reported: heartbeats that succeeded (and how many were awaited), heartbeats that failed,
connection pool clears and failed operations. The caller decides what is acceptable."""
import json
import sys
import threading
import time

import pymongo
from pymongo import monitoring


class Counts(monitoring.ServerHeartbeatListener, monitoring.ConnectionPoolListener):
    def __init__(self):
        self.lock = threading.Lock()
        self.result = {"heartbeatsSucceeded": 0, "heartbeatsAwaited": 0, "heartbeatsFailed": 0,
                       "heartbeatFailures": [], "poolsCleared": 0, "operations": 0, "operationsFailed": 0,
                       "operationFailures": []}

    def add(self, key, n=1):
        with self.lock:
            self.result[key] += n

    def keep(self, key, what):
        with self.lock:
            if len(self.result[key]) < 5:
                self.result[key].append(str(what))

    # ServerHeartbeatListener
    def started(self, event):
        pass

    def succeeded(self, event):
        self.add("heartbeatsSucceeded")
        if getattr(event, "awaited", False):
            self.add("heartbeatsAwaited")

    def failed(self, event):
        self.add("heartbeatsFailed")
        self.keep("heartbeatFailures", repr(event.reply))

    # ConnectionPoolListener
    def pool_created(self, event):
        pass

    def pool_cleared(self, event):
        self.add("poolsCleared")

    def pool_closed(self, event):
        pass

    def connection_created(self, event):
        pass

    def connection_ready(self, event):
        pass

    def connection_closed(self, event):
        pass

    def connection_check_out_started(self, event):
        pass

    def connection_check_out_failed(self, event):
        pass

    def connection_checked_out(self, event):
        pass

    def connection_checked_in(self, event):
        pass


def main(uri, db_name, seconds, heartbeat_ms):
    counts = Counts()
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=15000, heartbeatFrequencyMS=heartbeat_ms,
                                 event_listeners=[counts])
    c = client[db_name]["load"]
    end = time.monotonic() + seconds

    def worker(w):
        i = 0
        while time.monotonic() < end:
            try:
                c.insert_one({"w": w, "i": i})
                list(c.find({"w": w}).sort("_id", pymongo.DESCENDING).limit(5))
                counts.add("operations", 2)
            except Exception as e:  # noqa: BLE001 - every failure is reported to the caller
                counts.add("operationsFailed")
                counts.keep("operationFailures", repr(e))
            i += 1

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Counted before close(): closing the client resets (clears) its pools on purpose.
    with counts.lock:
        seen = json.dumps(counts.result)
    client.close()
    print("RESULT " + seen, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
