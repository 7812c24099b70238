"""A plain grpcio client for wegwijzer, built from proto/ at run time.

    python3 tests/python/client.py [HOST:PORT]

Generates the Python stubs from proto/ into a temporary folder (needs the packages
grpcio and grpcio-tools), then calls Search for "schulden" and Match for a single
mother with money worries, and prints the answers. Exits non-zero when an answer is
missing, so CI can use it as a smoke test of the wire contract.
"""

import pathlib
import sys
import tempfile

import grpc
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTO = ROOT / "proto"


def generate(out: pathlib.Path) -> None:
    files = sorted(str(p.relative_to(PROTO)) for p in PROTO.rglob("*.proto"))
    include = pathlib.Path(protoc.__file__).parent / "_proto"
    code = protoc.main(
        ["protoc", f"-I{PROTO}", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}", *files]
    )
    if code != 0:
        sys.exit(f"protoc failed with {code}")


def main() -> int:
    target = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:50051"
    out = pathlib.Path(tempfile.mkdtemp(prefix="wegwijzer-py-"))
    generate(out)
    sys.path.insert(0, str(out))
    from wegwijzer.v1 import referral_pb2 as r, referral_pb2_grpc as rg, types_pb2 as t

    with grpc.insecure_channel(target) as channel:
        grpc.channel_ready_future(channel).result(timeout=30)
        stub = rg.ReferralServiceStub(channel)

        found = stub.Search(r.SearchRequest(query="schulden", limit=5), timeout=10)
        print("Search 'schulden':")
        for hit in found.hits:
            print(f"  {hit.score:6.2f}  {hit.offering.name}  [{t.Tier.Name(hit.offering.tier)}]")

        request = r.HelpRequest(
            leefgebieden=[
                r.DomainScore(leefgebied=t.LEEFGEBIED_FINANCIEN, score=2),
                r.DomainScore(leefgebied=t.LEEFGEBIED_WERK_OPLEIDING, score=3),
                r.DomainScore(leefgebied=t.LEEFGEBIED_SOCIAAL_NETWERK, score=2),
                r.DomainScore(leefgebied=t.LEEFGEBIED_OPVOEDING, score=4),
            ],
            draagkracht=r.Draagkracht(lichamelijk=3, mentaal=1, netwerk=0, financieel=0, vaardigheden=2),
            draaglast=r.Draaglast(verplichtingen=3, zorgtaken=3, gebeurtenissen=1, geldzorgen=4),
            context=r.Context(
                age=32, gemeente="Dordrecht", household=t.HOUSEHOLD_EENOUDERGEZIN, minima=True,
                languages=["nl"], can_travel=True, digital_access=True,
            ),
            text="Alleenstaande moeder; meer kinderopvang dan de toeslag dekt, bouwt schuld op.",
        )
        matched = stub.Match(r.MatchRequest(request=request, limit=5), timeout=10)
        print("Match (anjali):")
        print(f"  advies: {matched.advice}")
        for res in matched.results:
            print(f"  {res.rank}. {res.offering.name}  [{t.Tier.Name(res.offering.tier)}]  {' '.join(res.reasons[:1])}")

    if not found.hits or not matched.results:
        print("missing answers", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
