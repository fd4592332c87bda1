//! What a parent's screens list from the school's content: the week ahead, and the maandinfo by
//! month. Pure rules, tested natively; the screens only draw them.

use chrono::{Datelike, Duration, NaiveDate};

use crate::model::{concerns, Bulletin, BulletinItem, Content, ItemKind, YearMonth};

/// What a line of "Wat is er deze week?" leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upcoming {
    /// An activity, by id.
    Activity(String),
    /// A dated item of the maandinfo, by id.
    Item(String),
}

/// One line of the week ahead: the day, the title in the reader's language, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpcomingDay {
    pub date: NaiveDate,
    pub title: String,
    pub what: Upcoming,
    /// Whether the day lies in the next calendar week (Monday to Sunday) rather than this one:
    /// on a Friday, next Monday is "volgende week", not "deze week".
    pub next_week: bool,
}

/// The Monday of the week (Monday to Sunday) that `day` lies in.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// What is on from `today` for seven days that concerns the groepen (all, when none): activities,
/// and dated bulletin items that change the day (a day off, an outing, a celebration, a reminder),
/// by date, then title.
pub fn this_week(
    content: &Content,
    groepen: &[u8],
    today: NaiveDate,
    lang: &str,
) -> Vec<UpcomingDay> {
    upcoming(
        content,
        groepen,
        today,
        Some(today + Duration::days(6)),
        lang,
        false,
    )
}

/// What is on from `today` (to `last`, inclusive, when given) that concerns the groepen: the
/// activities, and the dated bulletin items (all of them with `with_news`, else only those that
/// change the day), by date, then title.
fn upcoming(
    content: &Content,
    groepen: &[u8],
    today: NaiveDate,
    last: Option<NaiveDate>,
    lang: &str,
    with_news: bool,
) -> Vec<UpcomingDay> {
    let before_end = |d: NaiveDate| last.is_none_or(|last| d <= last);
    let this_monday = monday_of(today);
    let line = |date: NaiveDate, title: &crate::model::Text, what| UpcomingDay {
        date,
        title: title.get(lang).to_owned(),
        what,
        next_week: monday_of(date) > this_monday,
    };
    let fits = |item_groepen: &[u8]| {
        groepen.is_empty() || groepen.iter().any(|g| concerns(item_groepen, *g))
    };
    let activities = content
        .activities
        .iter()
        .filter(|a| {
            let day = a.start.date();
            today <= day && before_end(day) && fits(&a.groepen)
        })
        .map(|a| line(a.start.date(), &a.title, Upcoming::Activity(a.id.clone())));
    let items = content
        .bulletins
        .iter()
        .flat_map(|b| &b.items)
        .filter(|i| {
            with_news
                || !matches!(
                    i.kind,
                    ItemKind::Nieuws | ItemKind::PositiefNieuws | ItemKind::Oproep
                )
        })
        .filter_map(|i| {
            let when = i.when.as_ref()?;
            let overlaps = before_end(when.date) && when.last_day() >= today;
            (overlaps && fits(&i.groepen))
                .then(|| line(when.date.max(today), &i.title, Upcoming::Item(i.id.clone())))
        });
    let mut all: Vec<UpcomingDay> = activities.chain(items).collect();
    all.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    all
}

/// One week of the agenda: its Monday, and what is on in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaWeek {
    pub monday: NaiveDate,
    pub days: Vec<UpcomingDay>,
}

/// The agenda in Maandinfo: every dated item and activity from `today` on that concerns the
/// groepen (all, when none), in date order, grouped by week (Monday to Sunday).
pub fn agenda(content: &Content, groepen: &[u8], today: NaiveDate, lang: &str) -> Vec<AgendaWeek> {
    let mut weeks: Vec<AgendaWeek> = Vec::new();
    for day in upcoming(content, groepen, today, None, lang, true) {
        let monday = monday_of(day.date);
        match weeks.last_mut() {
            Some(week) if week.monday == monday => week.days.push(day),
            _ => weeks.push(AgendaWeek {
                monday,
                days: vec![day],
            }),
        }
    }
    weeks
}

/// The next day off from `today` on (a vrije dag, studiedag or vakantie that concerns one of the
/// groepen, all when none; weekends do not count): its first day from today, and the item.
pub fn next_day_off<'a>(
    content: &'a Content,
    groepen: &[u8],
    today: NaiveDate,
) -> Option<(NaiveDate, &'a BulletinItem)> {
    content
        .bulletins
        .iter()
        .flat_map(|b| &b.items)
        .filter(|i| {
            matches!(
                i.kind,
                ItemKind::VrijeDag | ItemKind::Studiedag | ItemKind::Vakantie
            )
        })
        .filter(|i| groepen.is_empty() || groepen.iter().any(|g| concerns(&i.groepen, *g)))
        .filter_map(|i| {
            let when = i.when.as_ref()?;
            (when.last_day() >= today).then(|| (when.date.max(today), i))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)))
}

/// The items of one month of the maandinfo, as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthItems {
    pub month: YearMonth,
    pub items: Vec<BulletinItem>,
}

/// The month an item is filed under: the month of its date (a studiedag on 7 December sits under
/// December, even when the November bulletin announced it), or the bulletin's month for news
/// without a date.
pub fn filed_month(item: &BulletinItem, bulletin: YearMonth) -> YearMonth {
    item.when
        .as_ref()
        .and_then(|when| YearMonth::new(when.date.year(), when.date.month()))
        .unwrap_or(bulletin)
}

/// The maandinfo by month, each with the items that concern one of `groepen` (every item when
/// `all`, or when there are no groepen to filter on), filed by [`filed_month`]; months left empty
/// are left out. The month of `today` comes first, then the months after it in calendar order,
/// then the earlier months, newest first. Within a month: dated items by date, then news in the
/// bulletin's order.
pub fn months_shown(
    bulletins: &[Bulletin],
    groepen: &[u8],
    all: bool,
    today: NaiveDate,
) -> Vec<MonthItems> {
    let now = YearMonth::new(today.year(), today.month()).expect("a date's month is 1 to 12");
    let mut months: Vec<MonthItems> = Vec::new();
    let mut bulletins: Vec<&Bulletin> = bulletins.iter().collect();
    bulletins.sort_by_key(|b| b.month);
    for bulletin in bulletins {
        for item in bulletin.items.iter().filter(|item| {
            all || groepen.is_empty() || groepen.iter().any(|g| concerns(&item.groepen, *g))
        }) {
            let month = filed_month(item, bulletin.month);
            match months.iter_mut().find(|m| m.month == month) {
                Some(shown) => shown.items.push(item.clone()),
                None => months.push(MonthItems {
                    month,
                    items: vec![item.clone()],
                }),
            }
        }
    }
    for month in &mut months {
        // A stable sort: news (no date) keeps the bulletin's order, after the dated items.
        month
            .items
            .sort_by_key(|i| i.when.as_ref().map_or((1, None), |w| (0, Some(w.date))));
    }
    months.sort_by(|a, b| {
        let (a_ahead, b_ahead) = (a.month >= now, b.month >= now);
        b_ahead.cmp(&a_ahead).then_with(|| {
            if a_ahead {
                a.month.cmp(&b.month)
            } else {
                b.month.cmp(&a.month)
            }
        })
    });
    months
}

/// What a parent has seen of the school's news, for the counts on the navigation (see
/// [`news_counts`]): the items and activities on screen when they last looked, and the version of
/// the agreement.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Seen {
    /// Whose news this is (see [`Seen::baseline`]): when it changes, everything there is counts
    /// as seen again, so that connecting a school does not greet the parent with fifty "nieuw".
    #[serde(default)]
    pub source: String,
    /// The ids of the bulletin items seen.
    #[serde(default)]
    pub items: std::collections::BTreeSet<String>,
    /// Each activity seen, with the fingerprint of what a parent reads of it: a change of date,
    /// place or text makes it new again.
    #[serde(default)]
    pub activities: std::collections::BTreeMap<String, u64>,
    /// The agreement version last seen.
    #[serde(default)]
    pub agreement_version: u32,
    /// The reminders of a talk tomorrow seen (see [`talk_reminder`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub talks: std::collections::BTreeSet<String>,
}

/// The reminder of one booked talk: new on the day before it (and on its own day), once per
/// booking and slot, so that a talk the school moved is new again.
pub fn talk_reminder(
    booking_id: &str,
    slot: &crate::talks::Slot,
    today: chrono::NaiveDate,
) -> Option<String> {
    let days = (slot.start.date() - today).num_days();
    (0..=1)
        .contains(&days)
        .then(|| format!("{booking_id}@{}", slot.id))
}

/// How many new things each tab has (see [`news_counts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NewsCounts {
    pub bulletins: usize,
    pub activities: usize,
    pub agreement: usize,
}

/// The fingerprint of what a parent reads of an activity.
pub fn activity_fingerprint(activity: &crate::model::Activity) -> u64 {
    let text = serde_json::to_string(&(
        &activity.title,
        &activity.text,
        activity.start,
        activity.end,
        &activity.location,
        activity.rsvp_deadline,
    ))
    .unwrap_or_default();
    crate::prompts::fnv1a(&[&text])
}

fn concerns_any(groepen: &[u8], of: &[u8]) -> bool {
    groepen.is_empty() || groepen.iter().any(|g| concerns(of, *g))
}

impl Seen {
    /// Everything in `content` counts as seen, for `source`.
    pub fn baseline(content: &Content, source: &str) -> Seen {
        let mut seen = Seen {
            source: source.to_owned(),
            ..Seen::default()
        };
        seen.see_bulletins(content);
        seen.see_activities(content);
        seen.see_agreement(content);
        seen
    }

    /// Marks every bulletin item as seen; `true` when that changed anything.
    pub fn see_bulletins(&mut self, content: &Content) -> bool {
        let before = self.items.len();
        self.items.extend(
            content
                .bulletins
                .iter()
                .flat_map(|b| &b.items)
                .map(|i| i.id.clone()),
        );
        self.items.len() != before
    }

    /// Marks every activity, as it is now, as seen; `true` when that changed anything.
    pub fn see_activities(&mut self, content: &Content) -> bool {
        let now: std::collections::BTreeMap<String, u64> = content
            .activities
            .iter()
            .map(|a| (a.id.clone(), activity_fingerprint(a)))
            .collect();
        let changed = content
            .activities
            .iter()
            .any(|a| self.activities.get(&a.id) != now.get(&a.id));
        self.activities.extend(now);
        changed
    }

    /// Marks these talk reminders as seen; `true` when that changed anything.
    pub fn see_talks(&mut self, reminders: &[String]) -> bool {
        let mut changed = false;
        for r in reminders {
            changed |= self.talks.insert(r.clone());
        }
        changed
    }

    /// Marks the agreement's version as seen; `true` when that changed anything.
    pub fn see_agreement(&mut self, content: &Content) -> bool {
        let version = content.agreement.version;
        let changed = self.agreement_version < version;
        self.agreement_version = self.agreement_version.max(version);
        changed
    }
}

/// The new things per tab for a family with children in `groepen` (all, when none): bulletin
/// items and activities for their groepen not seen yet (an activity also when it changed since),
/// and a newer agreement version.
pub fn news_counts(content: &Content, groepen: &[u8], seen: &Seen) -> NewsCounts {
    let bulletins = content
        .bulletins
        .iter()
        .flat_map(|b| &b.items)
        .filter(|i| concerns_any(groepen, &i.groepen) && !seen.items.contains(&i.id))
        .count();
    let activities = content
        .activities
        .iter()
        .filter(|a| {
            concerns_any(groepen, &a.groepen)
                && seen.activities.get(&a.id) != Some(&activity_fingerprint(a))
        })
        .count();
    NewsCounts {
        bulletins,
        activities,
        agreement: usize::from(content.agreement.version > seen.agreement_version),
    }
}
