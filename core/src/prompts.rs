//! Which conversation prompt a child gets today.
//!
//! The choice is a pure function of the content, the child's groep, the date and a per-child
//! seed, so every device shows the same prompt all day without talking to anyone.
//!
//! How the order is made:
//! - Only prompts whose [`Band`](crate::model::Band) fits the child's groep take part.
//! - Days off (weekends, and bulletin items such as a *studiedag* or *vakantie* for the groep)
//!   walk through a per-child permutation of the prompts of category
//!   [`Category::WeekendVakantie`], one step per day off.
//! - School days walk through a per-child permutation of the general bank, one step per school
//!   day. While a theme is active for the groep its prompts come first: on the theme's first
//!   school day, and then on every `r`-th school day, the day belongs to the theme's own walk,
//!   with `r = ceil(10 / theme prompts)` so that a theme prompt comes back no sooner than ten
//!   school days (two weeks) later; a theme of ten or more prompts takes every school day. The
//!   bank's walk pauses on theme days and goes on where it stopped.
//! - So a walk of `n` prompts repeats none within `n` of its days: with 14 school-day and 14
//!   weekend prompts that fit, no prompt comes back within two weeks, holidays included. (A
//!   theme's own weekend prompts join the weekend walk while the theme runs, and new prompts from
//!   the school change the permutation: either may bring a prompt back sooner, once.)
//! - Prompts already discussed go to the back of the day's order; "Andere vraag" (`skip`) steps
//!   through the day's order, wrapping.
//!
//! The permutation sorts prompts by a stable hash (FNV-1a) of the child's seed and the prompt's
//! id: it does not depend on the order of the content, and a new prompt slots in without
//! reshuffling the rest.

use std::collections::{BTreeSet, HashSet};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::model::{concerns, Category, Content, Prompt};

/// A theme prompt comes back no sooner than this many school days (two weeks) later.
const THEME_RETURN_SCHOOL_DAYS: i64 = 10;

/// The 64-bit FNV-1a hash of `parts`, each followed by the byte 0xFF (which never occurs in
/// UTF-8), so that `["ab", "c"]` and `["a", "bc"]` differ. Stable across platforms and
/// versions, unlike the standard library's hasher.
pub fn fnv1a(parts: &[&str]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(&[0xFF]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// Whether the children of `groep` have no school on `date`: a Saturday or Sunday, or a day
/// covered by a bulletin item of a day-off kind (vrije dag, studiedag, vakantie) for that groep.
pub fn is_day_off(content: &Content, groep: u8, date: NaiveDate) -> bool {
    is_weekend(date)
        || day_off_items(content, groep).any(|(first, last)| first <= date && date <= last)
}

/// Today's prompt for a child: the first of [`prompt_order`] after moving the `discussed` ids to
/// the back, then stepping `skip` places on ("Andere vraag"), wrapping. `None` only when no
/// prompt fits the groep at all.
pub fn daily_prompt<'a>(
    content: &'a Content,
    groep: u8,
    date: NaiveDate,
    child_seed: &str,
    discussed: &[String],
    skip: usize,
) -> Option<&'a Prompt> {
    let discussed: HashSet<&str> = discussed.iter().map(String::as_str).collect();
    let (fresh, done): (Vec<_>, Vec<_>) = prompt_order(content, groep, date, child_seed)
        .into_iter()
        .partition(|p| !discussed.contains(p.id.as_str()));
    let index = skip.checked_rem(fresh.len() + done.len())?;
    fresh.into_iter().chain(done).nth(index)
}

/// The prompt on a child's card today. One the parent marked as discussed today stays on the
/// card all day (`discussed_today`, oldest first: the last one marked is shown), also after a
/// reload, until the parent asks for another (`skip` > 0); otherwise [`daily_prompt`].
pub fn prompt_on_card<'a>(
    content: &'a Content,
    groep: u8,
    date: NaiveDate,
    child_seed: &str,
    discussed_before: &[String],
    discussed_today: &[String],
    skip: usize,
) -> Option<&'a Prompt> {
    if skip == 0 {
        if let Some(kept) = discussed_today
            .iter()
            .rev()
            .find_map(|id| find_prompt(content, id))
        {
            return Some(kept);
        }
    }
    daily_prompt(content, groep, date, child_seed, discussed_before, skip)
}

/// A prompt by id, from the school's bank or a theme.
pub fn find_prompt<'a>(content: &'a Content, id: &str) -> Option<&'a Prompt> {
    content
        .prompts
        .iter()
        .chain(content.themes.iter().flat_map(|t| &t.prompts))
        .find(|p| p.id == id)
}

/// Every prompt that fits the child today, in the day's order (see the module documentation):
/// the first is today's prompt. Each prompt occurs once.
pub fn prompt_order<'a>(
    content: &'a Content,
    groep: u8,
    date: NaiveDate,
    child_seed: &str,
) -> Vec<&'a Prompt> {
    let days = Days::new(content, groep);
    let pools = Pools::new(content, groep, date);
    let (days_off, school_days) = days.ordinals(date);
    let permute = |prompts: &[&'a Prompt], walk| permuted(prompts.to_vec(), child_seed, walk);
    let (theme, bank, off) = (
        permute(&pools.theme, "thema"),
        permute(&pools.bank, "school"),
        permute(&pools.off, "vrij"),
    );

    let off_day = days.is_off(date);
    if off_day && !off.is_empty() {
        return rotated(&off, days_off);
    }
    if theme.is_empty() && bank.is_empty() {
        // Only weekend prompts fit (or none): a school day uses those rather than nothing.
        return rotated(&off, school_days);
    }
    if off_day {
        // A day off without weekend prompts still gets a prompt: one from the school days.
        return rotated(&[theme, bank].concat(), days_off);
    }

    let bank_day = school_days - theme_days_before(content, groep, &days, date);
    let Some(start) = pools.theme_start.filter(|_| !theme.is_empty()) else {
        return rotated(&bank, bank_day);
    };
    // Slot k (school days since the theme's first) is a theme day when k % stride == 0, so
    // ceil(k / stride) theme days come before it.
    let stride = stride(theme.len(), bank.len());
    let k = school_days - days.ordinals(start).1;
    let mut themes = rotated(&theme, ceil_div(k, stride)).into_iter();
    let mut bank = rotated(&bank, bank_day).into_iter();
    let mut order = Vec::with_capacity(themes.len() + bank.len());
    for slot in k.. {
        let next = if slot.rem_euclid(stride) == 0 {
            themes.next().or_else(|| bank.next())
        } else {
            bank.next().or_else(|| themes.next())
        };
        match next {
            Some(p) => order.push(p),
            None => break,
        }
    }
    order
}

/// The prompts that fit a child on one date (in content order; each id once).
struct Pools<'a> {
    /// School-day prompts of the themes active for the groep.
    theme: Vec<&'a Prompt>,
    /// The latest start among those themes: the theme walk starts there.
    theme_start: Option<NaiveDate>,
    /// School-day prompts of the general bank.
    bank: Vec<&'a Prompt>,
    /// Weekend and holiday prompts, of the bank and of the active themes.
    off: Vec<&'a Prompt>,
}

impl<'a> Pools<'a> {
    fn new(content: &'a Content, groep: u8, date: NaiveDate) -> Self {
        let mut seen = HashSet::new();
        // Invalid content may repeat an id; such a prompt is taken once, where first seen.
        let mut take = |p: &&'a Prompt| p.band.fits(groep) && seen.insert(p.id.as_str());
        let mut pools = Pools {
            theme: Vec::new(),
            theme_start: None,
            bank: Vec::new(),
            off: Vec::new(),
        };
        let active = content
            .themes
            .iter()
            .filter(|t| concerns(&t.groepen, groep) && t.from <= date && date <= t.to);
        for t in active {
            let before = pools.theme.len();
            for p in t.prompts.iter().filter(&mut take) {
                match p.category {
                    Category::WeekendVakantie => pools.off.push(p),
                    _ => pools.theme.push(p),
                }
            }
            if pools.theme.len() > before {
                pools.theme_start = pools.theme_start.max(Some(t.from));
            }
        }
        for p in content.prompts.iter().filter(&mut take) {
            match p.category {
                Category::WeekendVakantie => pools.off.push(p),
                _ => pools.bank.push(p),
            }
        }
        pools
    }
}

/// Every how many school days a theme prompt comes, for a theme walk of `theme` prompts.
fn stride(theme: usize, bank: usize) -> i64 {
    let theme = i64::try_from(theme).unwrap_or(i64::MAX).max(1);
    if bank == 0 {
        1
    } else {
        ceil_div(THEME_RETURN_SCHOOL_DAYS, theme)
    }
}

/// `ceil(a / b)` for `b > 0`.
fn ceil_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b) + i64::from(a.rem_euclid(b) != 0)
}

/// The number of theme days (school days given to a theme's walk) before `date`, over all themes
/// of the groep: the bank's walk pauses on those, so subtracting them lets it go on where it
/// stopped instead of jumping ahead (and wrapping round to prompts seen last week).
fn theme_days_before(content: &Content, groep: u8, days: &Days, date: NaiveDate) -> i64 {
    // Between two consecutive starts or ends of themes, the set of active themes is fixed.
    let mut bounds = BTreeSet::new();
    for t in content
        .themes
        .iter()
        .filter(|t| concerns(&t.groepen, groep))
    {
        bounds.insert(t.from);
        bounds.extend(t.to.succ_opt());
    }
    let bounds: Vec<NaiveDate> = bounds.into_iter().filter(|b| *b < date).collect();
    let mut total = 0;
    for (i, &from) in bounds.iter().enumerate() {
        let to = bounds.get(i + 1).copied().unwrap_or(date);
        let pools = Pools::new(content, groep, from);
        let Some(start) = pools.theme_start.filter(|_| !pools.theme.is_empty()) else {
            continue;
        };
        let stride = stride(pools.theme.len(), pools.bank.len());
        let anchor = days.ordinals(start).1;
        // Theme days are the slots k (counted from the theme's first school day) with
        // k % stride == 0; the school days in [from, to) are the slots [k0, k1).
        let (k0, k1) = (days.ordinals(from).1 - anchor, days.ordinals(to).1 - anchor);
        total += ceil_div(k1, stride) - ceil_div(k0, stride);
    }
    total
}

/// `prompts` sorted by the hash of the child's seed, the walk's name and the prompt's id.
fn permuted<'a>(mut prompts: Vec<&'a Prompt>, seed: &str, walk: &str) -> Vec<&'a Prompt> {
    prompts.sort_by_cached_key(|p| (fnv1a(&[seed, walk, &p.id]), p.id.as_str()));
    prompts
}

/// `prompts` rotated so that position `at` (any integer, taken modulo the length) comes first.
fn rotated<'a>(prompts: &[&'a Prompt], at: i64) -> Vec<&'a Prompt> {
    let len = i64::try_from(prompts.len()).unwrap_or(i64::MAX);
    // The remainder is below the length, so it fits a usize.
    let start = usize::try_from(at.checked_rem_euclid(len).unwrap_or(0)).unwrap_or(0);
    let (before, after) = prompts.split_at(start.min(prompts.len()));
    after.iter().chain(before).copied().collect()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first and last day of every day-off item for `groep`.
fn day_off_items(
    content: &Content,
    groep: u8,
) -> impl Iterator<Item = (NaiveDate, NaiveDate)> + '_ {
    content
        .bulletins
        .iter()
        .flat_map(|b| &b.items)
        .filter(move |item| item.kind.is_day_off() && concerns(&item.groepen, groep))
        .filter_map(|item| item.when.as_ref().map(|w| (w.date, w.last_day())))
}

/// The school calendar of one groep: which days are days off, and how many of each kind lie
/// before a date.
struct Days {
    /// The day-off items' dates, merged where they overlap or touch; first and last day.
    holidays: Vec<(NaiveDate, NaiveDate)>,
}

impl Days {
    fn new(content: &Content, groep: u8) -> Self {
        let mut ranges: Vec<_> = day_off_items(content, groep)
            .filter(|(first, last)| first <= last)
            .collect();
        ranges.sort_unstable();
        let mut holidays: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(ranges.len());
        for (first, last) in ranges {
            match holidays.last_mut() {
                Some((_, end)) if first <= end.succ_opt().unwrap_or(*end) => {
                    *end = (*end).max(last);
                }
                _ => holidays.push((first, last)),
            }
        }
        Days { holidays }
    }

    fn is_off(&self, date: NaiveDate) -> bool {
        is_weekend(date) || self.holidays.iter().any(|&(a, b)| a <= date && date <= b)
    }

    /// Where `date` stands in the two walks: the number of days off and of school days between a
    /// fixed Monday and the date (negative before it). The Monday must never change, or every
    /// child's prompt would.
    fn ordinals(&self, date: NaiveDate) -> (i64, i64) {
        let epoch = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap_or(NaiveDate::MIN);
        if date >= epoch {
            self.count(epoch, date)
        } else {
            let (off, school) = self.count(date, epoch);
            (-off, -school)
        }
    }

    /// The number of days off and of school days in `[from, to)`, for `from <= to`.
    fn count(&self, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
        let Some(last) = to.pred_opt().filter(|_| from < to) else {
            return (0, 0);
        };
        let holiday_weekdays: i64 = self
            .holidays
            .iter()
            .map(|&(a, b)| (a.max(from), b.min(last)))
            .filter(|(a, b)| a <= b)
            .map(|(a, b)| weekdays_in(a, b.succ_opt().unwrap_or(to)))
            .sum();
        let total = (to - from).num_days();
        let days_off = total - weekdays_in(from, to) + holiday_weekdays;
        (days_off, total - days_off)
    }
}

/// The number of Mondays to Fridays in `[from, to)`.
fn weekdays_in(from: NaiveDate, to: NaiveDate) -> i64 {
    let days = (to - from).num_days().max(0);
    let first = i64::from(from.weekday().num_days_from_monday());
    let rest = (0..days % 7).filter(|i| (first + i) % 7 < 5).count();
    days / 7 * 5 + i64::try_from(rest).unwrap_or(0)
}
