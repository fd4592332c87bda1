"""Schemathesis hooks for scripts/contract.sh.

JSON Schema cannot say that an id in the body equals the id in the path, that ids are unique
within the content, or which activities are open right now: those rules are written in words in
each operation's description in server/openapi.yaml. A client that reads the spec follows them,
so these hooks make the generated *valid* cases follow them too, and nothing else: the values
stay the generator's own, and invalid (negative) cases are left alone. A request that is valid by
the schema and by these written rules must then be accepted.
"""

import json
import os
import urllib.request

import schemathesis

URL = os.environ["CONTRACT_URL"]
SCHOOL = os.environ["CONTRACT_SCHOOL"]
TOKEN = os.environ["CONTRACT_TOKEN"]
# The server's clock (serve --clock, YYYY-MM-DDTHH:MM:SS): which activities are still open.
NOW = os.environ["CONTRACT_NOW"]


def is_positive(case):
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode.is_positive


def published():
    """The content published now (read anew: the school's run publishes while it fuzzes)."""
    request = urllib.request.Request(
        f"{URL}/api/v1/schools/{SCHOOL}/content",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def time_key(text):
    """A time of day as the server orders it (chrono keeps nine digits of fraction)."""
    whole, _, fraction = text.partition(".")
    return (whole, fraction.ljust(9, "0"))


def local(text):
    """A local school time as the server orders it."""
    date, _, time = text.partition("T")
    return (date, time_key(time))


@schemathesis.hook
def map_case(context, case):
    if not is_positive(case) or not isinstance(case.body, dict):
        return case
    label = (case.method.upper(), case.path)
    if label == ("PUT", "/api/v1/schools/{school}/rsvps/{rsvp_id}"):
        rsvp_rules(case)
    elif label == ("PUT", "/api/v1/schools/{school}/acknowledgements/{ack_id}"):
        ack_rules(case)
    elif label == ("PUT", "/api/v1/schools/{school}/content"):
        content_rules(case)
    return case


def rsvp_rules(case):
    rsvp = case.body.get("rsvp")
    if not isinstance(rsvp, dict):
        return
    # rsvp.id equals the path's rsvp_id.
    if isinstance(rsvp.get("id"), str):
        case.path_parameters["rsvp_id"] = rsvp["id"]
    # The activity is published and still open; "ja" and "misschien" fit its limits. Activities
    # without a capacity only: hundreds of generated families would fill any other.
    open_ = [
        a
        for a in published().get("activities", [])
        if local(a.get("rsvp_deadline") or a["start"]) > local(NOW) and a.get("capacity") is None
    ]
    if not open_:
        return
    pick = open_[abs(hash(rsvp.get("id"))) % len(open_)]
    rsvp["activity_id"] = pick["id"]
    if rsvp.get("answer") != "nee" and isinstance(rsvp.get("people"), int):
        rsvp["people"] = max(1, min(rsvp["people"], pick["max_per_family"]))
    if not pick.get("helpers_wanted") and rsvp.get("answer") != "nee":
        rsvp["helps"] = False


def ack_rules(case):
    body = case.body
    # id equals the path's ack_id; the version is one the school published.
    if isinstance(body.get("id"), str):
        case.path_parameters["ack_id"] = body["id"]
    body["agreement_version"] = published()["agreement"]["version"]


def content_rules(case):
    content = case.body
    # Publishing over whatever was published before.
    case.headers["If-Match"] = "*"
    if isinstance(content.get("school"), dict):
        content["school"]["id"] = SCHOOL
    unique = Unique()
    for bulletin in content.get("bulletins", []):
        unique.id(bulletin, "bulletin")
        for item in bulletin.get("items", []):
            unique.id(item, "item")
            if isinstance(item.get("when"), dict):
                when_rules(item["when"])
    for activity in content.get("activities", []):
        unique.id(activity, "activity")
        activity_rules(activity)
    for theme in content.get("themes", []):
        unique.id(theme, "theme")
        if theme.get("to", "") < theme.get("from", ""):
            theme["from"], theme["to"] = theme["to"], theme["from"]
        for prompt in theme.get("prompts", []):
            unique.id(prompt, "prompt")
    for prompt in content.get("prompts", []):
        unique.id(prompt, "prompt")
    agreement = content.get("agreement", {})
    for name in ("school_promises", "parent_expectations", "child_agreements"):
        for item in agreement.get(name, []):
            unique.id(item, "agreement")


class Unique:
    """Makes ids unique within their kind, keeping the generated ones where they already are."""

    def __init__(self):
        self.seen = {}

    def id(self, thing, kind):
        seen = self.seen.setdefault(kind, set())
        value = thing.get("id")
        if not isinstance(value, str):
            return
        n = 0
        while value in seen:
            n += 1
            value = f"{thing['id'][:60]}-{n}"
        seen.add(value)
        thing["id"] = value


def activity_rules(activity):
    start, end = activity.get("start"), activity.get("end")
    if not (isinstance(start, str) and isinstance(end, str)):
        return
    # An activity ends after its start.
    if local(end) < local(start):
        start, end = end, start
    if local(end) == local(start):
        start, end = start[:10] + "T00:00:00", start[:10] + "T23:59:59"
    activity["start"], activity["end"] = start, end
    # Its RSVP deadline is not after the start.
    deadline = activity.get("rsvp_deadline")
    if isinstance(deadline, str) and local(deadline) > local(start):
        activity["rsvp_deadline"] = start


def when_rules(when):
    date, until = when.get("date"), when.get("until")
    # A range ends on or after its first day.
    if isinstance(date, str) and isinstance(until, str) and until < date:
        when["date"], when["until"] = until, date
    # An end time needs a start time, and follows it on a one-day range.
    if "to_time" in when and when.get("from_time") is None:
        del when["to_time"]
    one_day = when.get("until") in (None, when.get("date"))
    from_, to = when.get("from_time"), when.get("to_time")
    if one_day and isinstance(from_, str) and isinstance(to, str):
        if time_key(to) < time_key(from_):
            when["from_time"], when["to_time"] = to, from_
        elif time_key(to) == time_key(from_):
            when["from_time"], when["to_time"] = "00:00:00", "23:59:59"
