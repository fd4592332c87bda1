//! What a parent's screens list from the school's content: the week ahead, and the maandinfo by
//! month. Pure rules, tested natively; the screens only draw them.

use chrono::{Duration, NaiveDate};

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
    let last = today + Duration::days(6);
    let fits = |item_groepen: &[u8]| {
        groepen.is_empty() || groepen.iter().any(|g| concerns(item_groepen, *g))
    };
    let activities = content
        .activities
        .iter()
        .filter(|a| (today..=last).contains(&a.start.date()) && fits(&a.groepen))
        .map(|a| UpcomingDay {
            date: a.start.date(),
            title: a.title.get(lang).to_owned(),
            what: Upcoming::Activity(a.id.clone()),
        });
    let items = content
        .bulletins
        .iter()
        .flat_map(|b| &b.items)
        .filter(|i| {
            !matches!(
                i.kind,
                ItemKind::Nieuws | ItemKind::PositiefNieuws | ItemKind::Oproep
            )
        })
        .filter_map(|i| {
            let when = i.when.as_ref()?;
            let overlaps = when.date <= last && when.last_day() >= today;
            (overlaps && fits(&i.groepen)).then(|| UpcomingDay {
                date: when.date.max(today),
                title: i.title.get(lang).to_owned(),
                what: Upcoming::Item(i.id.clone()),
            })
        });
    let mut all: Vec<UpcomingDay> = activities.chain(items).collect();
    all.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    all
}

/// The items of one month of the maandinfo, as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthItems {
    pub month: YearMonth,
    pub items: Vec<BulletinItem>,
}

/// The bulletins newest month first, each with the items that concern one of `groepen` (every
/// item when `all`, or when there are no groepen to filter on); months left empty are left out.
pub fn months_shown(bulletins: &[Bulletin], groepen: &[u8], all: bool) -> Vec<MonthItems> {
    let mut bulletins: Vec<&Bulletin> = bulletins.iter().collect();
    bulletins.sort_by_key(|b| std::cmp::Reverse(b.month));
    bulletins
        .into_iter()
        .map(|bulletin| MonthItems {
            month: bulletin.month,
            items: bulletin
                .items
                .iter()
                .filter(|item| {
                    all || groepen.is_empty() || groepen.iter().any(|g| concerns(&item.groepen, *g))
                })
                .cloned()
                .collect(),
        })
        .filter(|month| !month.items.is_empty())
        .collect()
}
