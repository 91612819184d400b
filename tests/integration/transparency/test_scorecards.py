"""Public scorecards: kept from the reports table's stream, compared with a brute-force computation
over a generated random history, and fed by the stream records of real changes (read from moto)."""

import math
import random
from dataclasses import replace
from datetime import timedelta

from report_flows import doubled_stream_pollers, resolved_and_rated

from phananh import bootstrap
from phananh.adapters.dynamo.scorecards import DynamoScorecardStore
from phananh.processing.principal import Principal
from phananh.report.model import Rating, Result, iso, utcnow
from phananh.routing.directory import COORDINATORS_ID
from phananh.transparency import scorecards

OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
COORDINATOR = Principal("ban_dieu_phoi.coordinator1", COORDINATORS_ID, frozenset({"coordinator"}))
UNITS = ("so_xay_dung", "so_y_te", "ubnd_31321")
FIELDS = ("roads", "lighting", "flooding")


# --- a random history, told twice: as facts (for the brute force) and as report images (for the stream)


def _history(rng: random.Random, index: int, now):
    """One report's images in order, and the facts they should count: (kind, at, unit, field, value)."""
    unit, field = rng.choice(UNITS), rng.choice(FIELDS)
    published = now - timedelta(seconds=rng.randint(0, 120 * 86400))
    image = {
        "report_id": f"PA2611230000{index:04d}", "version": 1, "status": "RECEIVED", "category_code": field,
        "owner_unit_id": None, "updated_at": iso(published - timedelta(seconds=30)),
    }
    images, facts = [dict(image)], []

    def step(at, **changes):
        image.update(changes, version=image["version"] + 1, updated_at=iso(at))
        images.append(dict(image))

    ack_due = published + timedelta(hours=rng.choice((4, 24, 48)))
    resolve_due = published + timedelta(days=rng.choice((1, 5, 10)))
    step(published, status="ASSIGNED", owner_unit_id=unit, published_at=iso(published),
         acknowledge_due_at=iso(ack_due), resolve_due_at=iso(resolve_due))
    facts.append(("received", published, unit, field, None))
    at = published
    for _ in range(rng.choice((0, 0, 1, 2))):
        at += timedelta(seconds=rng.randint(60, 86400))
        # As the escalation state machine writes it: `updated_at` does not move.
        image.update(escalated_at=iso(at), version=image["version"] + 1)
        images.append(dict(image))
        facts.append(("escalated", at, unit, field, None))
    if rng.random() < 0.15:
        return images, facts
    at += timedelta(seconds=int(rng.lognormvariate(9, 1.5)))
    step(at, status="ACKNOWLEDGED")
    facts.append(("acknowledged", at, unit, field, ((at - published).total_seconds(), at <= ack_due)))
    reopened = False
    while True:
        if rng.random() < 0.2:
            return images, facts
        at += timedelta(seconds=int(rng.lognormvariate(11, 1.2)))
        step(at, status="RESOLVED", result=Result(note="x", at=at, officer=f"{unit}.officer"))
        facts.append(("resolved", at, unit, field, ((at - published).total_seconds(), at <= resolve_due)))
        if rng.random() < 0.3:
            return images, facts
        at += timedelta(seconds=rng.randint(60, 5 * 86400))
        score, fixed = rng.randint(1, 5), rng.random() < 0.5
        rating = Rating(score=score, fixed=fixed, comment=None, comment_hidden=False, at=at, resolved_at=None,
                        by="reporter")
        facts.append(("rated", at, unit, field, score))
        if not fixed and score <= 2 and not reopened:
            reopened = True
            step(at, status="IN_PROGRESS", rating=rating, resolve_due_at=iso(at + timedelta(days=5)))
            resolve_due = at + timedelta(days=5)
            facts.append(("reopened", at, unit, field, None))
            facts.append(("settled", at, unit, field, False))
            continue
        step(at, status="CLOSED", rating=rating)
        facts.append(("settled", at, unit, field, fixed))
        if rng.random() < 0.3:  # a coordinator hides the comment: no new rating
            step(at + timedelta(minutes=5), rating=replace(rating, comment_hidden=True))
        return images, facts


def _quantile_bucket_h(values, q):
    """Nearest-rank quantile of the exact values, then rounded up to its bucket's bound, in hours."""
    if not values:
        return None
    exact = sorted(values)[math.ceil(q * len(values)) - 1]
    upper = scorecards.bucket_upper_s(scorecards.bucket_of(exact))
    assert exact <= upper + 1e-6 and (exact <= 60 or upper <= exact * 2 ** 0.25 + 1e-6)
    return round(upper / 3600, 2)


def _brute_force(facts, first, last):
    cards = {}
    for kind, at, unit, field, value in facts:
        if not first <= scorecards.local_day(at) <= last:
            continue
        for key in (("unit", unit), ("field", field)):
            cards.setdefault(key, []).append((kind, value))
    answer = {}
    for key, items in cards.items():
        def of(kind, items=items):
            return [value for k, value in items if k == kind]
        acks, resolutions, scores = of("acknowledged"), of("resolved"), of("rated")

        def pct(part, whole):
            return round(100 * part / whole, 1) if whole else None
        answer[key] = {
            "received": len(of("received")), "acknowledged": len(acks), "resolved": len(resolutions),
            "acknowledged_on_time_pct": pct(sum(on_time for _, on_time in acks), len(acks)),
            "resolved_on_time_pct": pct(sum(on_time for _, on_time in resolutions), len(resolutions)),
            "hours_to_acknowledge": {q: _quantile_bucket_h([s for s, _ in acks], p) for q, p in
                                     (("median", 0.5), ("p90", 0.9))},
            "hours_to_resolve": {q: _quantile_bucket_h([s for s, _ in resolutions], p) for q, p in
                                 (("median", 0.5), ("p90", 0.9))},
            "satisfaction": {"average": round(sum(scores) / len(scores), 2) if scores else None, "count": len(scores)},
            "reopen_rate_pct": pct(len(of("reopened")), len(resolutions)),
            "escalations": len(of("escalated")),
            "confirmed_fixes": sum(of("settled")),
            "confirmed_fix_pct": pct(sum(of("settled")), len(of("settled"))),
        }
    return answer


def test_scorecards_match_a_brute_force_count_of_a_random_history(aws):
    rng, now, store = random.Random(20261123), utcnow(), DynamoScorecardStore()
    all_facts, applied = [], 0
    for index in range(36):
        images, facts = _history(rng, index, now)
        all_facts += facts
        for old, new in zip([None, *images], images, strict=False):
            change = scorecards.increments(old, new)
            if change is not None:
                assert store.apply(change, scorecards.scopes_of(change), now)
                applied += 1
                if applied % 4 == 0:  # redelivered: counted once
                    assert not store.apply(change, scorecards.scopes_of(change), now)

    for period in (30, 90, 365):
        answer = scorecards.scorecards({"period": str(period)}, ports=bootstrap.ports(), now=now)
        first, last = scorecards.period_days(period, now)
        assert (answer["from"], answer["to"]) == (first, last)
        expected = _brute_force(all_facts, first, last)
        if period == 365:  # the history exercises every counter
            assert all(any(card[name] for card in expected.values())
                       for name in ("reopen_rate_pct", "escalations", "confirmed_fixes"))
            assert any(card["satisfaction"]["count"] for card in expected.values())
        for card in answer["units"] + answer["fields"]:
            card.pop("name")
        got = {("unit", card.pop("unit_id")): card for card in answer["units"]}
        got |= {("field", card.pop("category")): card for card in answer["fields"]}
        # Scopes with nothing in the period are listed with zeros.
        assert {key: card for key, card in got.items() if key in expected} == expected
        assert all(card["received"] == card["resolved"] == card["escalations"] == 0
                   for key, card in got.items() if key not in expected)


def test_real_changes_reach_the_scorecards_through_the_stream_once(aws, submit_api, route_api, rate_api):
    pollers = doubled_stream_pollers(aws)
    resolved_and_rated(aws, submit_api, route_api, rate_api, OFFICER, score=4)
    for poller in pollers:
        assert poller.poll_once() > 0

    answer = rate_api.http.get("/public/scorecards?period=30")
    assert answer.status_code == 200
    unit = next(card for card in answer.json_body["units"] if card["unit_id"] == "so_xay_dung")
    field = next(card for card in answer.json_body["fields"] if card["category"] == "roads")
    assert unit["name"]["vi"] and field["name"]["en"] == "Roads, bridges and pavements"
    for card in (unit, field):
        assert (card["received"], card["acknowledged"], card["resolved"]) == (1, 1, 1)
        assert card["acknowledged_on_time_pct"] == card["resolved_on_time_pct"] == 100.0
        assert card["satisfaction"] == {"average": 4.0, "count": 1}
        assert card["reopen_rate_pct"] == 0.0
        assert card["hours_to_resolve"]["median"] is not None


def test_the_period_is_one_of_three(rate_api):
    for bad in ("7", "abc", "-30", ""):
        answer = rate_api.http.get(f"/public/scorecards?period={bad}")
        assert answer.status_code == 400, bad
        assert answer.json_body["code"] == "invalid_period"
    assert rate_api.http.get("/public/scorecards").json_body["period_days"] == 30
