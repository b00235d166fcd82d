#!/usr/bin/env python3
"""Proves that the unmodified py-consul client (PyPI `py-consul`) works against Roost's
Consul HTTP API.

    python3 Tests/Compatibility/pyconsul_compat.py --roost PATH_TO_ROOST_BINARY
    python3 Tests/Compatibility/pyconsul_compat.py --url http://127.0.0.1:8500   # real Consul

Starts `roost server` on loopback ports chosen by the kernel, talks to it only through
py-consul's public API, prints one `ok - ...` / `FAIL - ...` line per check, then
`py-consul: N passed, M failed`, and exits non-zero on any failure. Requirements:
`python3 -m pip install py-consul`. What py-consul sends and reads:
shared/reference/consul.md §12.
"""

import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compat_support import run_compat  # noqa: E402

try:
    import consul
    import consul.exceptions
except ImportError:
    print("py-consul is not installed: python3 -m pip install py-consul", file=sys.stderr)
    sys.exit(2)

BLOCK_SECONDS = 10.0
"""How long a blocking query may take to return after the change it waits for."""


def check_kv(report, c):
    def put_get():
        ok = c.kv.put("app/config", "v1", flags=7)
        index, entry = c.kv.get("app/config")
        return (ok and entry["Value"] == b"v1" and entry["Flags"] == 7
                and int(index) == entry["ModifyIndex"], repr(entry))

    report.run("kv.put then kv.get returns the value, flags and index", put_get)

    def missing():
        index, entry = c.kv.get("no/such/key")
        return entry is None and int(index) >= 1, f"index={index} entry={entry!r}"

    report.run("kv.get of a missing key is None with an index (404 with headers)", missing)

    def recurse():
        for key in ("svc/a", "svc/b", "svc/sub/c"):
            c.kv.put(key, key)
        _, entries = c.kv.get("svc/", recurse=True)
        _, keys = c.kv.get("svc/", keys=True, separator="/")
        return ([e["Key"] for e in entries] == ["svc/a", "svc/b", "svc/sub/c"]
                and keys == ["svc/a", "svc/b", "svc/sub/"], f"{entries!r} {keys!r}")

    report.run("kv.get recurse and keys with separator list the prefix", recurse)

    def cas():
        c.kv.put("cas/k", "1")
        _, entry = c.kv.get("cas/k")
        first = c.kv.put("cas/k", "2", cas=entry["ModifyIndex"])
        again = c.kv.put("cas/k", "3", cas=entry["ModifyIndex"])
        create = c.kv.put("cas/new", "x", cas=0)
        create_again = c.kv.put("cas/new", "y", cas=0)
        return (first and not again and create and not create_again,
                f"{first} {again} {create} {create_again}")

    report.run("kv.put with cas writes only at the expected index", cas)

    def delete():
        c.kv.put("del/a", "1")
        c.kv.put("del/b", "1")
        one = c.kv.delete("del/a")
        rest = c.kv.delete("del/", recurse=True)
        _, left = c.kv.get("del/", recurse=True)
        return one and rest and left is None, repr(left)

    report.run("kv.delete of a key and of a prefix", delete)

    def blocking():
        index, _ = c.kv.get("block/k")
        threading.Timer(0.5, lambda: c.kv.put("block/k", "new")).start()
        started = time.monotonic()
        new_index, entry = c.kv.get("block/k", index=index, wait="30s")
        took = time.monotonic() - started
        return (entry is not None and entry["Value"] == b"new" and int(new_index) > int(index)
                and took < BLOCK_SECONDS, f"took {took:.1f}s entry={entry!r}")

    report.run("kv.get with index blocks until the key appears", blocking)

    def stale():
        index, entry = c.kv.get("app/config", consistency="stale")
        return entry["Value"] == b"v1", repr(entry)

    report.run("kv.get with consistency='stale' reads locally", stale)


def check_agent(report, c):
    def register():
        ok = c.agent.service.register("web", service_id="web1", port=8080, tags=["v1"],
                                      check=consul.Check.ttl("30s"))
        services = c.agent.services()
        return ok and services.get("web1", {}).get("Port") == 8080, repr(services)

    report.run("agent.service.register with a TTL check appears in agent.services()",
               register)

    def starts_critical():
        _, entries = c.health.service("web", passing=True)
        return entries == [], repr(entries)

    report.run("a new TTL check starts critical: health.service(passing=True) is empty",
               starts_critical)

    def ttl_pass():
        c.agent.check.ttl_pass("service:web1", notes="all good")
        _, entries = c.health.service("web", passing=True)
        return (len(entries) == 1 and entries[0]["Service"]["ID"] == "web1"
                and any(ch["Output"] == "all good" for ch in entries[0]["Checks"]),
                repr(entries))

    report.run("agent.check.ttl_pass makes the instance pass with the note as output",
               ttl_pass)

    def blocking_health():
        index, _ = c.health.service("web", passing=True)
        threading.Timer(0.5, lambda: c.agent.check.ttl_fail("service:web1", "down")).start()
        started = time.monotonic()
        new_index, entries = c.health.service("web", passing=True, index=index, wait="30s")
        took = time.monotonic() - started
        return (entries == [] and int(new_index) > int(index) and took < BLOCK_SECONDS,
                f"took {took:.1f}s {entries!r}")

    report.run("health.service with index blocks until a check fails", blocking_health)

    def catalog():
        _, services = c.catalog.services()
        _, nodes = c.catalog.service("web")
        return ("web" in services and services["web"] == ["v1"] and len(nodes) == 1
                and nodes[0]["ServicePort"] == 8080, f"{services!r} {nodes!r}")

    report.run("catalog.services and catalog.service list the instance", catalog)

    def deregister():
        ok = c.agent.service.deregister("web1")
        _, nodes = c.catalog.service("web")
        return ok and nodes == [], repr(nodes)

    report.run("agent.service.deregister removes the instance and its checks", deregister)


def check_sessions(report, c):
    node = c.agent.self()["Config"]["NodeName"]

    def node_alive():
        deadline = time.monotonic() + BLOCK_SECONDS
        while time.monotonic() < deadline:
            _, checks = c.health.node(node)
            if any(ch["CheckID"] == "serfHealth" and ch["Status"] == "passing"
                   for ch in checks):
                return True
            time.sleep(0.1)
        return False, f"serfHealth of {node} never passed"

    report.run("the agent's node has a passing serfHealth (the sessions' default check)",
               node_alive)
    made = {}

    def create_info():
        sid = c.session.create(name="compat", ttl=10, lock_delay=0)
        made["sid"] = sid
        index, session = c.session.info(sid)
        return (session is not None and session["ID"] == sid and session["Name"] == "compat"
                and session["Node"] == node and session["TTL"] == "10s"
                and session["LockDelay"] == 0 and session["Behavior"] == "release"
                and session["NodeChecks"] == ["serfHealth"] and int(index) >= 1,
                repr(session))

    report.run("session.create with a TTL, then session.info returns it", create_info)

    def listed():
        _, sessions = c.session.list()
        _, on_node = c.session.node(node)
        _, unknown = c.session.info("00000000-0000-4000-8000-000000000000")
        ids = [s["ID"] for s in sessions]
        return (made["sid"] in ids and [s["ID"] for s in on_node] == ids and unknown is None,
                f"{ids!r} {unknown!r}")

    report.run("session.list and session.node list it; info of an unknown ID is None", listed)

    def renew():
        session = c.session.renew(made["sid"])
        return session["ID"] == made["sid"] and session["TTL"] == "10s", repr(session)

    report.run("session.renew returns the session", renew)

    def lock():
        other = c.session.create(name="contender")
        got = c.kv.put("compat/lock", "me", acquire=made["sid"])
        blocked = c.kv.put("compat/lock", "you", acquire=other)
        _, held = c.kv.get("compat/lock")
        released = c.kv.put("compat/lock", None, release=made["sid"])
        _, free = c.kv.get("compat/lock")
        taken = c.kv.put("compat/lock", "you", acquire=other)
        c.session.destroy(other)
        _, after = c.kv.get("compat/lock")
        return (got and not blocked and held["Session"] == made["sid"] and held["LockIndex"] == 1
                and released and "Session" not in free and free["Value"] == b"me"
                and taken and "Session" not in after and after["LockIndex"] == 2,
                f"{got} {blocked} {held!r} {released} {free!r} {taken} {after!r}")

    report.run("kv.put acquire/release lock a key; destroying the holder releases it", lock)

    def destroy():
        ok = c.session.destroy(made["sid"])
        _, session = c.session.info(made["sid"])
        try:
            c.session.renew(made["sid"])
            renewed = True
        except consul.NotFound:
            renewed = False
        return ok and session is None and not renewed, f"{ok} {session!r} {renewed}"

    report.run("session.destroy removes it; renewing it then raises NotFound", destroy)

    def ephemeral():
        sid = c.session.create(behavior="delete", lock_delay=0)
        c.kv.put("compat/ephemeral", "x", acquire=sid)
        c.session.destroy(sid)
        _, entry = c.kv.get("compat/ephemeral")
        return entry is None, repr(entry)

    report.run("a behavior='delete' session deletes its keys when destroyed", ephemeral)


def check_catalog(report, c):
    service = {"Service": "ext-db", "ID": "db1", "Tags": ["primary"], "Port": 5432}
    check = {"CheckID": "service:db1", "Name": "db check", "Status": "passing",
             "ServiceID": "db1"}

    def register():
        ok = c.catalog.register("ext1", "10.1.2.3", service=service, check=check,
                                tagged_addresses={"lan": "10.1.2.3"})
        _, nodes = c.catalog.service("ext-db")
        return (ok is True and len(nodes) == 1 and nodes[0]["Address"] == "10.1.2.3"
                and nodes[0]["ServiceID"] == "db1" and nodes[0]["ServicePort"] == 5432
                and nodes[0]["TaggedAddresses"].get("lan") == "10.1.2.3", repr(nodes))

    report.run("catalog.register adds an external node with a service and a check", register)

    def external_health():
        _, entries = c.health.service("ext-db", passing=True)
        ids = [ch["CheckID"] for ch in entries[0]["Checks"]] if len(entries) == 1 else None
        return ids == ["service:db1"], repr(entries)

    report.run("an external node has no serfHealth; the catalog check keeps its status",
               external_health)

    def node_check():
        ok = c.catalog.register("ext1", "10.1.2.3",
                                check={"CheckID": "disk", "Name": "disk", "Status": "warning"})
        _, checks = c.health.node("ext1")
        states = {ch["CheckID"]: ch["Status"] for ch in checks}
        return ok and states == {"disk": "warning", "service:db1": "passing"}, repr(states)

    report.run("catalog.register with a check only adds a node check", node_check)

    def missing_node():
        try:
            c.catalog.register("", "10.0.0.1")
        except consul.ConsulException as error:
            return ("Must provide node" in str(error)
                    and not isinstance(error, consul.exceptions.BadRequest), repr(error))
        return False, "no error"

    report.run("catalog.register without a node is a server error 'Must provide node'",
               missing_node)

    def deregister_check():
        ok = c.catalog.deregister("ext1", check_id="disk")
        _, checks = c.health.node("ext1")
        return ok and [ch["CheckID"] for ch in checks] == ["service:db1"], repr(checks)

    report.run("catalog.deregister(check_id=) removes only that check", deregister_check)

    def deregister_service():
        ok = c.catalog.deregister("ext1", service_id="db1")
        _, nodes = c.catalog.service("ext-db")
        _, checks = c.health.node("ext1")
        _, node = c.catalog.node("ext1")
        return (ok and nodes == [] and checks == [] and node is not None,
                f"{nodes!r} {checks!r} {node!r}")

    report.run("catalog.deregister(service_id=) removes the service and its checks",
               deregister_service)

    def deregister_node():
        c.catalog.register("ext1", "10.1.2.3", service=service, check=check)
        ok = c.catalog.deregister("ext1")
        _, node = c.catalog.node("ext1")
        _, nodes = c.catalog.nodes()
        return (ok and node is None and all(n["Node"] != "ext1" for n in nodes),
                f"{node!r} {nodes!r}")

    report.run("catalog.deregister(node) removes the node with everything on it",
               deregister_node)

    def not_run():
        # Port 9 (discard) on loopback is closed: a run HTTP check goes critical.
        node = c.agent.self()["Config"]["NodeName"]
        definition = {"HTTP": "http://127.0.0.1:9/", "Interval": "1s", "Timeout": "1s"}
        c.catalog.register(node, "127.0.0.1", check={
            "CheckID": "cat-http", "Name": "cat-http", "Status": "passing",
            "Definition": definition})
        c.agent.check.register("agent-http", consul.Check.http("http://127.0.0.1:9/", "1s"))
        deadline = time.monotonic() + BLOCK_SECONDS
        ran = False
        while time.monotonic() < deadline and not ran:
            _, checks = c.health.node(node)
            # A new check starts critical with no output; a run writes its output.
            ran = any(ch["CheckID"] == "agent-http" and ch["Output"] for ch in checks)
            time.sleep(0.2)
        time.sleep(1.5)  # a further interval in which the catalog check could have run
        _, checks = c.health.node(node)
        states = {ch["CheckID"]: ch["Status"] for ch in checks}
        c.agent.check.deregister("agent-http")
        c.catalog.deregister(node, check_id="cat-http")
        return (ran and states.get("agent-http") == "critical"
                and states.get("cat-http") == "passing", repr(states))

    report.run("the agent runs its own HTTP check but not one registered through the catalog",
               not_run)


def check_status(report, c):
    report.run("status.leader() names an address",
               lambda: (re.match(r"^[\w.\-]+:\d+$", c.status.leader()) is not None,
                        repr(c.status.leader())))
    report.run("status.peers() lists the voters",
               lambda: (len(c.status.peers()) >= 1, repr(c.status.peers())))


def main():
    return run_compat(
        __doc__.split("\n\n")[0], "py-consul",
        lambda host, port: consul.Consul(host=host, port=port),
        (check_kv, check_agent, check_catalog, check_sessions, check_status), "a real Consul")


if __name__ == "__main__":
    sys.exit(main())
