"""Schemathesis hooks for scripts/contract.sh.

JSON Schema cannot say that an id in the body equals the id in the path, that ids are unique
within the content, or which activities are open right now: those rules are written in words in
each operation's description in server/openapi.yaml. A client that reads the spec follows them,
so these hooks make every generated case follow them too, and change nothing else.

Invalid (negative) cases get the same treatment, so that what makes them invalid is only the
schema violation the generator chose, not also a wrong id or a closed activity: the server must
then refuse them for that violation alone. Hence the one rule of this file: a value is replaced
only by another valid value, and only when it was valid itself, so a case stays exactly as
valid or invalid as the generator made it.
"""

import hashlib
import itertools
import json
import os
import re
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import schemathesis
import yaml

URL = os.environ["CONTRACT_URL"]
SCHOOL = os.environ["CONTRACT_SCHOOL"]
TOKEN = os.environ["CONTRACT_TOKEN"]
# The server's clock (serve --clock, YYYY-MM-DDTHH:MM:SS): which activities are still open.
NOW = os.environ["CONTRACT_NOW"]
SPEC = os.environ["CONTRACT_SPEC"]
FAMILIES = itertools.count(1)
# The server's clock in milliseconds since the epoch, and how far ahead an `updated_at` may lie.
NOW_MS = int(datetime.fromisoformat(NOW).replace(tzinfo=ZoneInfo("Europe/Amsterdam")).timestamp() * 1000)
AHEAD_MS = int(timedelta(days=1).total_seconds() * 1000)


def _patterns():
    with open(SPEC, encoding="utf-8") as file:
        schemas = yaml.safe_load(file)["components"]["schemas"]
    return {name: re.compile(schemas[name]["pattern"]) for name in ("Id", "Date", "DateTime", "Time")}


PATTERNS = _patterns()


def valid(kind, value):
    """Whether `value` is a valid Id, Date, DateTime or Time by the spec's own pattern."""
    return isinstance(value, str) and "\n" not in value and PATTERNS[kind].search(value) is not None


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
    label = (case.method.upper(), case.path)
    if "/talks/{round_id}" in case.path:
        talk_path(case)
    if not isinstance(case.body, dict):
        return case
    if label == ("PUT", "/api/v1/schools/{school}/rsvps/{rsvp_id}"):
        rsvp_rules(case)
    elif label == ("PUT", "/api/v1/schools/{school}/acknowledgements/{ack_id}"):
        ack_rules(case)
    elif label == ("PUT", "/api/v1/schools/{school}/families/{family_id}/profile"):
        profile_rules(case)
    elif label == ("PUT", "/api/v1/schools/{school}/absences/{absence_id}"):
        absence_rules(case)
    elif label == ("PUT", "/api/v1/schools/{school}/content"):
        content_rules(case)
    elif label == ("PUT", "/api/v1/schools/{school}/bookings/{booking_id}"):
        booking_rules(case)
    elif label == ("POST", "/api/v1/schools/{school}/talks/{round_id}/bookings"):
        school_booking_rules(case)
    return case


def same_id(case, body, parameter):
    """The id in the path equals the body's (when both are valid ids: a wrong one stays wrong)."""
    if valid("Id", body.get("id")) and valid("Id", case.path_parameters.get(parameter)):
        case.path_parameters[parameter] = body["id"]


def own_family(body):
    """A family id belongs to the first secret it came with: every case is a family of its own.

    (Deriving the id from the secret is not enough: schemathesis may vary the header after this
    hook.)"""
    if valid("Id", body.get("family_id")):
        body["family_id"] = f"f-{os.getpid()}-{next(FAMILIES)}"


# What core's free_text refuses in a name or note: control characters (a note may have new
# lines), direction controls, and text that is only white space and invisible characters.
CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")
READABLE = re.compile(
    "[^\\s\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)


NOT_BLANK = re.compile("[^\\s\u0085]|\ufeff")


def readable(body, field, multiline, fallback, longest):
    """A name or note as the descriptions write it: readable text. Only a value the schema
    allows (not empty, not too long, not blank) that this rule refuses becomes `fallback`."""
    value = body.get(field)
    if not isinstance(value, str) or not value or len(value) > longest:
        return
    if not multiline and not NOT_BLANK.search(value):
        return
    if CONTROL.search(value.replace("\n", "") if multiline else value) or not READABLE.search(value):
        body[field] = fallback


def readable_children(body):
    """The children's names as the descriptions write them: readable text (core's free_text)."""
    children = body.get("children")
    if isinstance(children, list):
        for child in children:
            if isinstance(child, dict):
                readable(child, "name", False, "Noor", 40)


def not_ahead(body):
    """An `updated_at` at most a day ahead of the server's clock (a valid one stays valid)."""
    value = body.get("updated_at")
    # Only a valid int64 (a larger one is the schema's to refuse).
    if isinstance(value, int) and not isinstance(value, bool) and NOW_MS + AHEAD_MS < value < 2**63:
        body["updated_at"] = NOW_MS


def rsvp_rules(case):
    own_family(case.body)
    rsvp = case.body.get("rsvp")
    if not isinstance(rsvp, dict):
        return
    same_id(case, rsvp, "rsvp_id")
    not_ahead(rsvp)
    readable(case.body, "names", False, "Sanne", 200)
    readable(rsvp, "note", True, "Tot dan", 500)
    readable_children(case.body)
    # The activity is published and still open; "ja" and "misschien" fit its limits. Activities
    # without a capacity only: hundreds of generated families would fill any other.
    open_ = [
        a
        for a in published().get("activities", [])
        if local(a.get("rsvp_deadline") or a["start"]) > local(NOW) and a.get("capacity") is None
    ]
    if not open_ or not valid("Id", rsvp.get("activity_id")):
        return
    pick = open_[len(rsvp["activity_id"]) % len(open_)]
    rsvp["activity_id"] = pick["id"]
    people = rsvp.get("people")
    coming = rsvp.get("answer") in ("ja", "misschien")
    if coming and isinstance(people, int) and not isinstance(people, bool) and 1 <= people <= 255:
        rsvp["people"] = min(people, pick["max_per_family"])
    if coming and rsvp.get("helps") is True and not pick.get("helpers_wanted"):
        rsvp["helps"] = False


def ack_rules(case):
    body = case.body
    own_family(body)
    same_id(case, body, "ack_id")
    not_ahead(body)
    readable(body, "name", False, "Sanne", 200)
    readable_children(body)
    # The version is one the school published.
    version = body.get("agreement_version")
    if isinstance(version, int) and not isinstance(version, bool) and 1 <= version <= 2**32 - 1:
        body["agreement_version"] = published()["agreement"]["version"]


def profile_rules(case):
    body = case.body
    # A family of its own per case (its id belongs to the first secret it came with).
    if valid("Id", case.path_parameters.get("family_id")):
        case.path_parameters["family_id"] = f"p-{os.getpid()}-{next(FAMILIES)}"
    not_ahead(body)
    for child in body.get("children") or []:
        if isinstance(child, dict):
            readable(child, "name", False, "Noor", 40)
    parents = body.get("parents")
    if isinstance(parents, list):
        for i, name in enumerate(parents):
            holder = {"name": name}
            readable(holder, "name", False, "Sanne", 200)
            parents[i] = holder["name"]


def absence_rules(case):
    body = case.body
    own_family(body)
    same_id(case, body, "absence_id")
    not_ahead(body)
    readable(body, "note", True, "Koorts", 500)
    child = body.get("child")
    if isinstance(child, dict):
        readable(child, "name", False, "Noor", 40)
    # Tomorrow, one day: not in the past, within ten school days, and never after the school's
    # time limit for today (the school's run may publish any limit while this one fuzzes).
    first, last = body.get("first_day"), body.get("last_day")
    if valid("Date", first) and valid("Date", last):
        tomorrow = (datetime.fromisoformat(NOW) + timedelta(days=1)).date().isoformat()
        body["first_day"] = body["last_day"] = tomorrow


def content_rules(case):
    content = case.body
    # Publishing over whatever was published before.
    case.headers["If-Match"] = "*"
    school = content.get("school")
    if isinstance(school, dict) and valid("Id", school.get("id")):
        school["id"] = SCHOOL
    unique = Unique()
    for bulletin in dicts(content, "bulletins"):
        unique.id(bulletin, "bulletin")
        for item in dicts(bulletin, "items"):
            unique.id(item, "item")
            if isinstance(item.get("when"), dict):
                when_rules(item["when"])
    for activity in dicts(content, "activities"):
        unique.id(activity, "activity")
        activity_rules(activity)
    for theme in dicts(content, "themes"):
        unique.id(theme, "theme")
        first, last = theme.get("from"), theme.get("to")
        if valid("Date", first) and valid("Date", last) and last < first:
            theme["from"], theme["to"] = last, first
        for prompt in dicts(theme, "prompts"):
            unique.id(prompt, "prompt")
    for prompt in dicts(content, "prompts"):
        unique.id(prompt, "prompt")
    agreement = content.get("agreement")
    for name in ("school_promises", "parent_expectations", "child_agreements"):
        for item in dicts(agreement, name):
            unique.id(item, "agreement")


def dicts(parent, name):
    """The objects in the list `parent[name]`; nothing where the generator put another type."""
    things = parent.get(name) if isinstance(parent, dict) else None
    return [thing for thing in things if isinstance(thing, dict)] if isinstance(things, list) else []


class Unique:
    """Makes valid ids unique within their kind, keeping the generated ones where they already are."""

    def __init__(self):
        self.seen = {}

    def id(self, thing, kind):
        seen = self.seen.setdefault(kind, set())
        value = thing.get("id")
        if not valid("Id", value):
            return
        n = 0
        while value in seen:
            n += 1
            value = f"{thing['id'][:58]}-{n}"
        seen.add(value)
        thing["id"] = value


def activity_rules(activity):
    start, end = activity.get("start"), activity.get("end")
    if not (valid("DateTime", start) and valid("DateTime", end)):
        return
    # An activity ends after its start.
    if local(end) < local(start):
        start, end = end, start
    if local(end) == local(start):
        start, end = start[:10] + "T00:00:00", start[:10] + "T23:59:59"
    activity["start"], activity["end"] = start, end
    # Its RSVP deadline is not after the start.
    deadline = activity.get("rsvp_deadline")
    if valid("DateTime", deadline) and local(deadline) > local(start):
        activity["rsvp_deadline"] = start


def when_rules(when):
    date, until = when.get("date"), when.get("until")
    # A range ends on or after its first day.
    if valid("Date", date) and valid("Date", until) and until < date:
        when["date"], when["until"] = until, date
    # An end time needs a start time, and follows it on a one-day range.
    if valid("Time", when.get("to_time")) and when.get("from_time") is None:
        when["from_time"] = "00:00:00"
    one_day = when.get("until") is None or when.get("until") == when.get("date")
    from_, to = when.get("from_time"), when.get("to_time")
    if one_day and valid("Time", from_) and valid("Time", to):
        if time_key(to) < time_key(from_):
            when["from_time"], when["to_time"] = to, from_
        elif time_key(to) == time_key(from_):
            when["from_time"], when["to_time"] = "00:00:00", "23:59:59"


def first_round():
    """The first round of talks published now, if any."""
    talks = published().get("talks") or []
    return talks[0] if talks else None


def slots_of(round_, groep):
    """The slot ids of `groep` in `round_`, as core derives them (a talk, the changeover, the
    next talk, while a whole talk fits in the window)."""
    out = []
    length = timedelta(minutes=round_["slot_minutes"])
    step = length + timedelta(minutes=round_.get("changeover_minutes", 0))
    for part in round_["groepen"]:
        if part["groep"] != groep:
            continue
        for window in part["windows"]:
            start = datetime.fromisoformat(f"{window['date']}T{window['from']}")
            end = datetime.fromisoformat(f"{window['date']}T{window['to']}")
            while start + length <= end:
                out.append(f"g{groep}-{start:%Y%m%d-%H%M}")
                start += step
    return sorted(set(out))


def taken(round_id):
    """The slot ids of the round that a booking holds or the school blocked, read anew: with the
    access code from `taken`, with the admin token from the schedule."""
    base = f"{URL}/api/v1/schools/{SCHOOL}/talks/{round_id}"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{base}/taken", headers=headers), timeout=10) as answer:
            return set(json.load(answer)["taken"])
    except urllib.error.HTTPError:
        pass
    with urllib.request.urlopen(urllib.request.Request(f"{base}/schedule", headers=headers), timeout=10) as answer:
        rows = json.load(answer)["rows"]
    return {r["slot"]["id"] for r in rows if r.get("blocked") or r.get("talk")}


def free_slots(round_, groep):
    held = taken(round_["id"])
    return [s for s in slots_of(round_, groep) if s not in held]


def talk_path(case):
    """A round the school published, and for a slot of it, a free one (a slot a booking holds
    cannot be blocked: the description says so)."""
    round_ = first_round()
    if round_ is None:
        return
    if valid("Id", case.path_parameters.get("round_id")):
        case.path_parameters["round_id"] = round_["id"]
    if valid("Id", case.path_parameters.get("slot_id")):
        for part in round_["groepen"]:
            free = free_slots(round_, part["groep"])
            if free:
                case.path_parameters["slot_id"] = free[len(case.path_parameters["slot_id"]) % len(free)]
                return


def booking_example():
    """The request body the spec gives as the example of the booking PUT."""
    with open(SPEC, encoding="utf-8") as file:
        spec = yaml.safe_load(file)
    operation = spec["paths"]["/api/v1/schools/{school}/bookings/{booking_id}"]["put"]
    return operation["requestBody"]["content"]["application/json"].get("example", {})


def booking_rules(case):
    body = case.body
    same_id(case, body, "booking_id")
    # A booking id belongs to the family that first sent it: the family follows from the id, so
    # that a generated id used twice is two versions of one family's booking.
    if valid("Id", body.get("family_id")) and valid("Id", body.get("id")):
        # The spec's own example (sent as it is in the examples phase) keeps its family.
        example = booking_example()
        if body["id"] == example.get("id"):
            body["family_id"] = example.get("family_id", body["family_id"])
        else:
            body["family_id"] = "f-" + hashlib.sha256(body["id"].encode()).hexdigest()[:20]
    not_ahead(body)
    readable(body, "names", False, "Sanne", 200)
    readable(body, "note", True, "Graag over rekenen", 300)
    child = body.get("child")
    if isinstance(child, dict):
        readable(child, "name", False, "Noor", 40)
    # A round that is open, for the child's groep, and free slots of that groep.
    round_ = first_round()
    if round_ is None or not valid("Id", body.get("round_id")):
        return
    body["round_id"] = round_["id"]
    groepen = [g["groep"] for g in round_["groepen"]]
    groep = child.get("groep") if isinstance(child, dict) else None
    if isinstance(groep, int) and not isinstance(groep, bool) and 1 <= groep <= 8:
        free = {g: free_slots(round_, g) for g in groepen}
        child["groep"] = max(groepen, key=lambda g: (len(free[g]), g == groep))
        groep = child["groep"]
        prefs = body.get("preferences")
        # Empty only when cancelled (the description's rule): a booking names a time.
        if "preferences" not in body and body.get("cancelled") is not True:
            prefs = body["preferences"] = []
        if isinstance(prefs, list) and all(valid("Id", p) for p in prefs):
            if not prefs and body.get("cancelled") is not True:
                prefs.append("x")
            slots = free[groep] or slots_of(round_, groep)
            body["preferences"] = [slots[i % len(slots)] for i in range(len(prefs))][: len(slots)]


def school_booking_rules(case):
    """A new booking by the school: the child's groep and a free slot of it, the parents' names
    (a move needs a kept booking's id, which a generated case cannot know: left to the tests)."""
    body = case.body
    round_ = first_round()
    if round_ is None:
        return
    body.pop("booking_id", None)
    readable(body, "note", True, "Belde op maandag", 300)
    # Left out of a generated body (the schema lets a move go without): a new booking has them.
    if "names" not in body:
        body["names"] = "Sanne"
    if not isinstance(body.get("names"), str) or len(body.get("names")) > 200:
        return
    readable(body, "names", False, "Sanne", 200)
    # Optional in the schema (a move needs none), but a new booking names the parents.
    if not body["names"] or not NOT_BLANK.search(body["names"]):
        body["names"] = "Sanne"
    if not valid("Id", body.get("slot_id")):
        return
    child = body.get("child")
    if child is None:
        child = body["child"] = {"name": "Noor", "groep": 1}
    if not isinstance(child, dict):
        return
    readable(child, "name", False, "Noor", 40)
    groep = child.get("groep")
    if not (isinstance(groep, int) and not isinstance(groep, bool) and 1 <= groep <= 8):
        return
    for part in round_["groepen"]:
        free = free_slots(round_, part["groep"])
        if free:
            child["groep"] = part["groep"]
            body["slot_id"] = free[0]
            return
