#!/usr/bin/env python3
"""Counts the faults a `dvcrecon sim --faults SPEC --seed SEED` injected over its first REQUESTS portal requests.

The simulator decides each request's fault from (seed, request number) alone (sim/faults.hpp), in
this order: hang, 5xx (then which 5xx), 429, and for answers that got through, truncation. Replaying the same
draws gives the counts without instrumenting the simulator. Drift is drawn separately and only takes effect on
pages after the first, so its count is an upper bound.
Usage: reliability_fault_count.py SEED REQUESTS SPEC   → one `kind=count` per line
"""
import sys

MASK = (1 << 64) - 1
TAG_FAULT, TAG_DRIFT_PICK = 201, 203


def splitmix(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def mix(parts):
    h = 0x243F6A8885A308D3
    for p in parts:
        h = splitmix(h ^ splitmix(p))
    return h


class Draw:
    def __init__(self, state):
        self.state = state

    def next(self):
        self.state = splitmix(self.state)
        return self.state

    def chance(self, p):
        return (self.next() >> 11) * 2.0**-53 < p

    def below(self, n):
        return ((self.next() >> 32) * n) >> 32


def main():
    seed, requests, spec = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    shares = {"hang": 0.0, "error5xx": 0.0, "rate429": 0.0, "truncate": 0.0, "drift": 0.0}
    for item in filter(None, spec.split(",")):
        name, _, value = item.partition("=")
        if name in shares:
            shares[name] = float(value)
    counts = dict.fromkeys(["hang", "error5xx", "rate429", "truncate", "drift_at_most"], 0)
    for n in range(1, requests + 1):
        g = Draw(mix([seed, TAG_FAULT, n]))
        if g.chance(shares["hang"]):
            counts["hang"] += 1
        elif g.chance(shares["error5xx"]):
            counts["error5xx"] += 1
        elif g.chance(shares["rate429"]):
            counts["rate429"] += 1
        elif g.chance(shares["truncate"]):
            counts["truncate"] += 1
        if Draw(mix([seed, TAG_DRIFT_PICK, n])).chance(shares["drift"]):
            counts["drift_at_most"] += 1
    for kind, count in counts.items():
        print(f"{kind}={count}")


if __name__ == "__main__":
    main()
