"""A second, plain implementation of ``tuoyu-draw/1`` written from docs/draw-algorithm.md.

It does not import the application's draw module: slow, direct code that follows the
document line by line (linear cumulative sums, a full scan for the least-loaded
inspectors), so that agreement with the optimised module checks both the module and the
document. Records are plain dicts.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from fractions import Fraction

CREDIT = {"A": 1, "B": 2, "C": 3, "D": 4, "": 2}


class Impossible(Exception):
    def __init__(self, entity: str) -> None:
        super().__init__(entity)
        self.entity = entity


def weight(e: dict) -> int:
    return (
        CREDIT[e.get("credit_class", "")]
        + 1 * min(e.get("complaints", 0), 3)
        + 2 * min(e.get("open_rectifications", 0), 2)
        + (2 if e.get("annual_report_missing") else 0)
    )


def entity_text(entities: list[dict], strata: list[str]) -> str:
    header = "id\torganisation\tcredit_class\tcomplaints\topen_rectifications\tannual_report_missing\tweight"
    for column in strata:
        header += "\tstratum:" + column
    lines = [header]
    for e in sorted(entities, key=lambda e: e["id"].encode("utf-8")):
        fields = [
            e["id"],
            e.get("organisation", ""),
            e.get("credit_class", ""),
            str(e.get("complaints", 0)),
            str(e.get("open_rectifications", 0)),
            "1" if e.get("annual_report_missing") else "0",
            str(weight(e)),
        ] + [e["strata"][c] for c in strata]
        lines.append("\t".join(fields))
    return "".join(line + "\n" for line in lines)


def inspector_text(inspectors: list[dict]) -> str:
    lines = ["id\torganisations\tlast_assigned"]
    for i in sorted(inspectors, key=lambda i: i["id"].encode("utf-8")):
        orgs = ";".join(sorted(set(i.get("organisations", [])) - {""}))
        last = ";".join(sorted(set(i.get("last_assigned", [])) - {""}))
        lines.append(i["id"] + "\t" + orgs + "\t" + last)
    return "".join(line + "\n" for line in lines)


class Stream:
    def __init__(self, seed: str, eh: str, ih: str) -> None:
        self.seed, self.eh, self.ih = seed, eh, ih
        self.data = b""
        self.k = 0
        self.pos = 0

    def chunk(self) -> int:
        while self.pos + 8 > len(self.data):
            msg = ("tuoyu-draw/1\n" + self.eh + "\n" + self.ih + "\n" + str(self.k)).encode("ascii")
            self.data += hmac.new(self.seed.encode("utf-8"), msg, hashlib.sha256).digest()
            self.k += 1
        value = int.from_bytes(self.data[self.pos : self.pos + 8], "big")
        self.pos += 8
        return value

    def below(self, n: int) -> int:
        limit = 2**64 - (2**64 % n)
        while True:
            u = self.chunk()
            if u < limit:
                return u % n


def run(entities, inspectors, seed, *, ratio="0.05", count=None, strata=(), per_target=2):
    """Return (entities_sha256, inspectors_sha256, [(entity id, [inspector ids]), ...])."""
    strata = list(strata)
    eh = hashlib.sha256(entity_text(entities, strata).encode("utf-8")).hexdigest()
    ih = hashlib.sha256(inspector_text(inspectors).encode("utf-8")).hexdigest()
    stream = Stream(seed, eh, ih)
    population = len(entities)
    n = count if count is not None else max(1, math.ceil(Fraction(ratio) * population))
    groups: dict[tuple, list[dict]] = {}
    for e in sorted(entities, key=lambda e: e["id"]):
        groups.setdefault(tuple(e["strata"][c] for c in strata), []).append(e)
    share = {k: n * len(v) // population for k, v in groups.items()}
    rest = n - sum(share.values())
    order = sorted(groups, key=lambda k: (-((n * len(groups[k])) % population), k))
    for k in order[:rest]:
        share[k] += 1
    targets = []
    for key in sorted(groups):
        remaining = list(groups[key])
        for _ in range(share[key]):
            total = sum(weight(e) for e in remaining)
            r = stream.below(total)
            running = 0
            for e in remaining:
                running += weight(e)
                if running > r:
                    targets.append(e)
                    remaining.remove(e)
                    break
    pool = sorted(inspectors, key=lambda i: i["id"])
    load = {i["id"]: 0 for i in pool}

    def conflict(i, e):
        orgs = set(i.get("organisations", []))
        return (
            e["id"] in orgs
            or e["id"] in set(i.get("last_assigned", []))
            or (e.get("organisation", "") != "" and e["organisation"] in orgs)
        )

    for e in targets:
        if sum(1 for i in pool if not conflict(i, e)) < per_target:
            raise Impossible(e["id"])
    result = []
    for e in targets:
        chosen = []
        for _ in range(per_target):
            eligible = [i["id"] for i in pool if not conflict(i, e) and i["id"] not in chosen]
            least = min(load[x] for x in eligible)
            tied = [x for x in eligible if load[x] == least]
            pick = tied[stream.below(len(tied))]
            chosen.append(pick)
            load[pick] += 1
        result.append((e["id"], chosen))
    return eh, ih, result
