//! Validation of a school's content before it is published (server) or shown (app).
//!
//! [`validate`] returns every problem at once, each with the path of the field (as the admin
//! screen shows it next to the field) and a message in plain Dutch for school staff. It never
//! panics and its work is bounded: lists longer than [`MAX_LIST`] are reported and only their
//! first [`MAX_LIST`] entries are checked.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::model::{
    Activity, Agreement, Bulletin, BulletinItem, Content, Prompt, Text, Theme, When,
};

/// One problem in the content: which field, and what is wrong with it (in Dutch).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// A path such as `activities[3].rsvp_deadline` or `bulletins[0].items[2].title.en`.
    pub field: String,
    /// What is wrong, in plain Dutch.
    pub message: String,
}

/// The most entries any list may hold.
pub const MAX_LIST: usize = 10_000;
/// The longest id, in characters.
pub const MAX_ID: usize = 64;
/// The longest title (of a bulletin, an item, an activity, a theme), in characters per language.
pub const MAX_TITLE: usize = 100;
/// The longest running text (the agreement's vision, an item's or an activity's text).
pub const MAX_TEXT: usize = 1500;
/// The longest location of an activity.
pub const MAX_LOCATION: usize = 120;
/// The longest line of the agreement.
pub const MAX_AGREEMENT_ITEM: usize = 300;
/// The longest conversation prompt.
pub const MAX_PROMPT: usize = 200;
/// The longest name of a school.
pub const MAX_SCHOOL_NAME: usize = 80;
/// The longest place name of a school.
pub const MAX_PLACE: usize = 80;
/// The longest phone number of a school.
pub const MAX_PHONE: usize = 30;
/// The longest e-mail address of a school.
pub const MAX_EMAIL: usize = 120;
/// The longest website of a school.
pub const MAX_WEBSITE: usize = 200;
/// How many people one family may bring to an activity: the school picks a number in this range.
pub const PER_FAMILY: std::ops::RangeInclusive<u8> = 1..=20;
/// The first and last year a date may fall in: a calendar file cannot hold years past 9999, and
/// anything far from today is a typing error.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2199;

/// Whether `id` is 1 to 64 characters of `a-z`, `0-9` and `-`.
pub fn is_valid_id(id: &str) -> bool {
    (1..=MAX_ID).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// What is wrong with a name or note typed by a parent (see [`free_text`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing readable is left once white space and invisible characters are left out.
    Empty,
    /// A control character (a new line is allowed only in a note), or a character that turns the
    /// direction of the text around (it can make a spreadsheet cell read otherwise than it is).
    Control,
}

impl TextProblem {
    /// The reason in plain Dutch.
    pub fn message(self) -> &'static str {
        match self {
            TextProblem::Empty => "Vul hier iets in dat te lezen is.",
            TextProblem::Control => {
                "Hier staan tekens in die niet te lezen zijn. Typ de tekst opnieuw."
            }
        }
    }
}

/// Whether `c` shows nothing on its own: zero-width spaces and joiners, the soft hyphen, the
/// byte-order mark, word joiners and the like.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
    )
}

/// Whether `c` changes the direction of the text that follows (embeddings, overrides and
/// isolates).
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Checks a name or note as a parent typed it: no control characters (`multiline` allows a new
/// line, for a note), and something readable once white space and invisible characters are left
/// out. Zero-width joiners inside emoji stay allowed: they are invisible, not forbidden.
pub fn free_text(text: &str, multiline: bool) -> Result<(), TextProblem> {
    if text
        .chars()
        .any(|c| (c.is_control() && !(multiline && c == '\n')) || is_direction_control(c))
    {
        return Err(TextProblem::Control);
    }
    if text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(TextProblem::Empty);
    }
    Ok(())
}

/// Checks `content` against every rule; an empty list means it may be published.
pub fn validate(content: &Content) -> Vec<FieldError> {
    let mut c = Checker::default();
    c.school(content);
    c.agreement(&content.agreement);

    // Items are linked to and marked as read by id, so their ids are unique across bulletins.
    let (mut bulletin_ids, mut item_ids) = (HashMap::new(), HashMap::new());
    for (i, bulletin) in c
        .bounded("bulletins", &content.bulletins)
        .iter()
        .enumerate()
    {
        let path = format!("bulletins[{i}]");
        c.unique(&format!("{path}.id"), &bulletin.id, &mut bulletin_ids);
        c.bulletin(&path, bulletin, &mut item_ids);
    }

    let mut activity_ids = HashMap::new();
    for (i, activity) in c
        .bounded("activities", &content.activities)
        .iter()
        .enumerate()
    {
        let path = format!("activities[{i}]");
        c.unique(&format!("{path}.id"), &activity.id, &mut activity_ids);
        c.activity(&path, activity);
    }

    // Theme prompts and the general bank share one id space: the app keeps "besproken" by id.
    let mut prompt_ids = HashMap::new();
    let mut theme_ids = HashMap::new();
    for (i, theme) in c.bounded("themes", &content.themes).iter().enumerate() {
        let path = format!("themes[{i}]");
        c.unique(&format!("{path}.id"), &theme.id, &mut theme_ids);
        c.theme(&path, theme, &mut prompt_ids);
    }
    for (i, prompt) in c.bounded("prompts", &content.prompts).iter().enumerate() {
        c.prompt(&format!("prompts[{i}]"), prompt, &mut prompt_ids);
    }

    let mut round_ids = HashMap::new();
    if content.talks.len() > crate::model::MAX_TALK_ROUNDS {
        c.err(
            "talks",
            format!(
                "Hoogstens {} gespreksronden tegelijk.",
                crate::model::MAX_TALK_ROUNDS
            ),
        );
    }
    for (i, round) in content
        .talks
        .iter()
        .take(crate::model::MAX_TALK_ROUNDS)
        .enumerate()
    {
        let path = format!("talks[{i}]");
        c.unique(&format!("{path}.id"), &round.id, &mut round_ids);
        c.talk_round(&path, round);
    }
    c.errors
}

/// Every [`Text`] in `content`, with its path, in a fixed order (for checks such as "every text
/// has an English translation").
pub fn texts(content: &Content) -> Vec<(String, &Text)> {
    let mut out = vec![("agreement.vision".to_owned(), &content.agreement.vision)];
    for (name, items) in agreement_lists(&content.agreement) {
        for (i, item) in items.iter().enumerate() {
            out.push((format!("agreement.{name}[{i}].text"), &item.text));
        }
    }
    for (b, bulletin) in content.bulletins.iter().enumerate() {
        out.push((format!("bulletins[{b}].title"), &bulletin.title));
        for (i, item) in bulletin.items.iter().enumerate() {
            out.push((format!("bulletins[{b}].items[{i}].title"), &item.title));
            out.push((format!("bulletins[{b}].items[{i}].text"), &item.text));
        }
    }
    for (a, activity) in content.activities.iter().enumerate() {
        out.push((format!("activities[{a}].title"), &activity.title));
        out.push((format!("activities[{a}].text"), &activity.text));
        out.push((format!("activities[{a}].location"), &activity.location));
    }
    for (t, theme) in content.themes.iter().enumerate() {
        out.push((format!("themes[{t}].title"), &theme.title));
        for (p, prompt) in theme.prompts.iter().enumerate() {
            out.push((format!("themes[{t}].prompts[{p}].text"), &prompt.text));
        }
    }
    for (p, prompt) in content.prompts.iter().enumerate() {
        out.push((format!("prompts[{p}].text"), &prompt.text));
    }
    for (r, round) in content.talks.iter().enumerate() {
        out.push((format!("talks[{r}].title"), &round.title));
        out.push((format!("talks[{r}].text"), &round.text));
        for (g, part) in round.groepen.iter().enumerate() {
            if !part.place.0.is_empty() {
                out.push((format!("talks[{r}].groepen[{g}].place"), &part.place));
            }
        }
    }
    out
}

/// The three lists of the agreement with their field names.
fn agreement_lists(
    agreement: &Agreement,
) -> [(&'static str, &Vec<crate::model::AgreementItem>); 3] {
    [
        ("school_promises", &agreement.school_promises),
        ("parent_expectations", &agreement.parent_expectations),
        ("child_agreements", &agreement.child_agreements),
    ]
}

/// Collects errors while walking the content.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn err(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// The first [`MAX_LIST`] entries of `list`, reporting when there are more.
    fn bounded<'a, T>(&mut self, field: &str, list: &'a [T]) -> &'a [T] {
        if list.len() > MAX_LIST {
            self.err(
                field,
                format!(
                    "Te veel onderdelen: maximaal {MAX_LIST} (nu {}).",
                    list.len()
                ),
            );
        }
        &list[..list.len().min(MAX_LIST)]
    }

    /// Checks a plain string's length in characters, trimmed for the minimum.
    fn length(&mut self, field: &str, value: &str, min: usize, max: usize) {
        if min > 0 && value.trim().is_empty() {
            self.err(field, "Dit veld mag niet leeg zijn.");
            return;
        }
        // Counting stops just past the maximum: a huge string costs no more than a short one.
        let chars = value.chars().take(max + 1).count();
        if chars > max {
            self.err(field, format!("Te lang: maximaal {max} tekens."));
        }
    }

    /// Checks a [`Text`]: Dutch present, no empty translation, every language within `max`.
    fn text(&mut self, field: &str, text: &Text, max: usize) {
        if !text.0.contains_key("nl") {
            self.err(field, "De Nederlandse tekst ontbreekt.");
        }
        if text.0.len() > MAX_LIST {
            self.err(field, "Te veel talen.");
        }
        for (lang, value) in text.0.iter().take(MAX_LIST) {
            let path = format!("{field}.{lang}");
            if value.trim().is_empty() && lang == "nl" {
                self.err(&path, "Vul de Nederlandse tekst in.");
            } else if value.trim().is_empty() {
                // An empty translation would be shown instead of falling back to Dutch.
                self.err(&path, "Vul de tekst in, of laat deze taal weg.");
            } else {
                self.length(&path, value, 1, max);
            }
        }
    }

    fn id(&mut self, field: &str, id: &str) {
        if !is_valid_id(id) {
            self.err(
                field,
                "Een id heeft 1 tot 64 tekens: kleine letters a-z, cijfers en streepjes (-).",
            );
        }
    }

    /// Checks the form of `id` and that it was not seen before in `seen` (id → first path).
    fn unique(&mut self, field: &str, id: &str, seen: &mut HashMap<String, String>) {
        self.id(field, id);
        match seen.get(id) {
            Some(first) => {
                let message = format!("Deze id komt al voor bij {first}.");
                self.err(field, message);
            }
            None => {
                seen.insert(id.to_owned(), field.to_owned());
            }
        }
    }

    fn date(&mut self, field: &str, date: NaiveDate) {
        if !YEARS.contains(&date.year()) {
            self.err(
                field,
                format!(
                    "Deze datum ligt niet tussen {} en {}.",
                    YEARS.start(),
                    YEARS.end()
                ),
            );
        }
    }

    fn date_time(&mut self, field: &str, at: NaiveDateTime) {
        self.date(field, at.date());
    }

    fn groepen(&mut self, field: &str, groepen: &[u8]) {
        let mut seen = [false; 9];
        for (i, &g) in self.bounded(field, groepen).iter().enumerate() {
            let path = format!("{field}[{i}]");
            match seen.get_mut(usize::from(g)) {
                Some(seen) if g >= 1 && !*seen => *seen = true,
                Some(_) if g >= 1 => self.err(&path, format!("Groep {g} staat er twee keer in.")),
                _ => self.err(&path, "Een groep is een getal van 1 tot en met 8."),
            }
        }
    }

    fn school(&mut self, content: &Content) {
        let s = &content.school;
        self.id("school.id", &s.id);
        self.length("school.name", &s.name, 1, MAX_SCHOOL_NAME);
        self.length("school.place", &s.place, 0, MAX_PLACE);
        self.length("school.phone", &s.phone, 0, MAX_PHONE);
        self.length("school.email", &s.email, 0, MAX_EMAIL);
        if !s.email.is_empty() && !s.email.contains('@') {
            self.err(
                "school.email",
                "Dit is geen e-mailadres: het @-teken ontbreekt.",
            );
        }
        self.length("school.website", &s.website, 0, MAX_WEBSITE);
        // The app turns the website into a link: only web addresses, never `javascript:` and the
        // like.
        let is_web = s.website.starts_with("https://") || s.website.starts_with("http://");
        if !(s.website.is_empty() || is_web) {
            self.err(
                "school.website",
                "Een website begint met https:// (of http://).",
            );
        }
        if let Some(phone) = &s.absence_phone {
            self.length("school.absence_phone", phone, 0, MAX_PHONE);
            if !phone.is_empty() && !phone.chars().any(|c| c.is_ascii_digit()) {
                self.err(
                    "school.absence_phone",
                    "Dit is geen telefoonnummer: er staan geen cijfers in.",
                );
            }
        }
        if let Some(until) = s.absence_until {
            if until.second() != 0 || until.nanosecond() != 0 {
                self.err(
                    "school.absence_until",
                    "Geef een tijd in hele minuten, zoals 08:15.",
                );
            } else if until.hour() < 5 || until.hour() >= 13 {
                self.err(
                    "school.absence_until",
                    "Kies een tijd in de ochtend, tussen 05:00 en 13:00, zoals 08:15.",
                );
            }
        }
    }

    fn agreement(&mut self, a: &Agreement) {
        if a.version < 1 {
            self.err("agreement.version", "Het versienummer begint bij 1.");
        }
        self.date("agreement.published", a.published);
        self.text("agreement.vision", &a.vision, MAX_TEXT);
        let mut ids = HashMap::new();
        for (name, items) in agreement_lists(a) {
            let field = format!("agreement.{name}");
            if items.is_empty() {
                self.err(&field, "Deze lijst mag niet leeg zijn.");
            }
            for (i, item) in self.bounded(&field, items).iter().enumerate() {
                self.unique(&format!("{field}[{i}].id"), &item.id, &mut ids);
                self.text(
                    &format!("{field}[{i}].text"),
                    &item.text,
                    MAX_AGREEMENT_ITEM,
                );
            }
        }
    }

    fn bulletin(&mut self, path: &str, b: &Bulletin, item_ids: &mut HashMap<String, String>) {
        self.text(&format!("{path}.title"), &b.title, MAX_TITLE);
        self.date(&format!("{path}.month"), b.month.first_day());
        let field = format!("{path}.items");
        for (i, item) in self.bounded(&field, &b.items).iter().enumerate() {
            self.item(&format!("{field}[{i}]"), item, item_ids);
        }
    }

    fn item(&mut self, path: &str, item: &BulletinItem, ids: &mut HashMap<String, String>) {
        self.unique(&format!("{path}.id"), &item.id, ids);
        self.text(&format!("{path}.title"), &item.title, MAX_TITLE);
        self.text(&format!("{path}.text"), &item.text, MAX_TEXT);
        self.groepen(&format!("{path}.groepen"), &item.groepen);
        if let Some(when) = &item.when {
            self.when(&format!("{path}.when"), when);
        }
    }

    fn when(&mut self, path: &str, w: &When) {
        self.date(&format!("{path}.date"), w.date);
        if let Some(until) = w.until {
            self.date(&format!("{path}.until"), until);
            if until < w.date {
                self.err(
                    &format!("{path}.until"),
                    "De einddatum moet op of na de begindatum liggen.",
                );
            }
        }
        match (w.from_time, w.to_time) {
            (None, Some(_)) => self.err(
                &format!("{path}.to_time"),
                "Vul ook een begintijd in, of laat de eindtijd weg.",
            ),
            (Some(from), Some(to)) if w.last_day() == w.date && to <= from => self.err(
                &format!("{path}.to_time"),
                "De eindtijd moet na de begintijd liggen.",
            ),
            _ => {}
        }
    }

    fn talk_round(&mut self, path: &str, round: &crate::talks::TalkRound) {
        self.text(&format!("{path}.title"), &round.title, MAX_TITLE);
        self.text(&format!("{path}.text"), &round.text, MAX_TEXT);
        self.date_time(&format!("{path}.opens"), round.opens);
        self.date_time(&format!("{path}.closes"), round.closes);
        for (g, part) in round.groepen.iter().take(8).enumerate() {
            let place = format!("{path}.groepen[{g}].place");
            if !part.place.0.is_empty() || round.kind != crate::talks::TalkKind::Huisbezoek {
                self.text(&place, &part.place, MAX_LOCATION);
            }
        }
        if round.groepen.len() > 8 {
            self.err(&format!("{path}.groepen"), "Hoogstens 8 groepen.");
        }
        let mut found = Vec::new();
        crate::talks::check_round(path, round, &mut |field, message| {
            found.push(FieldError { field, message })
        });
        self.errors.extend(found);
    }

    fn activity(&mut self, path: &str, a: &Activity) {
        self.text(&format!("{path}.title"), &a.title, MAX_TITLE);
        self.text(&format!("{path}.text"), &a.text, MAX_TEXT);
        self.text(&format!("{path}.location"), &a.location, MAX_LOCATION);
        self.groepen(&format!("{path}.groepen"), &a.groepen);
        self.date_time(&format!("{path}.start"), a.start);
        self.date_time(&format!("{path}.end"), a.end);
        if a.end <= a.start {
            self.err(&format!("{path}.end"), "Het einde moet na de start liggen.");
        }
        if let Some(deadline) = a.rsvp_deadline {
            self.date_time(&format!("{path}.rsvp_deadline"), deadline);
            if deadline > a.start {
                self.err(
                    &format!("{path}.rsvp_deadline"),
                    "De sluitingsdatum voor aanmelden moet vóór de start liggen.",
                );
            }
        }
        if a.capacity == Some(0) {
            self.err(
                &format!("{path}.capacity"),
                "Er moet plaats zijn voor minstens 1 persoon; laat het veld leeg als er geen grens is.",
            );
        }
        if !PER_FAMILY.contains(&a.max_per_family) {
            self.err(
                &format!("{path}.max_per_family"),
                "Per gezin mogen 1 tot en met 20 personen komen.",
            );
        }
    }

    fn theme(&mut self, path: &str, t: &Theme, prompt_ids: &mut HashMap<String, String>) {
        self.text(&format!("{path}.title"), &t.title, MAX_TITLE);
        self.groepen(&format!("{path}.groepen"), &t.groepen);
        self.date(&format!("{path}.from"), t.from);
        self.date(&format!("{path}.to"), t.to);
        if t.to < t.from {
            self.err(
                &format!("{path}.to"),
                "De einddatum moet op of na de begindatum liggen.",
            );
        }
        let field = format!("{path}.prompts");
        for (i, prompt) in self.bounded(&field, &t.prompts).iter().enumerate() {
            self.prompt(&format!("{field}[{i}]"), prompt, prompt_ids);
        }
    }

    fn prompt(&mut self, path: &str, p: &Prompt, ids: &mut HashMap<String, String>) {
        self.unique(&format!("{path}.id"), &p.id, ids);
        self.text(&format!("{path}.text"), &p.text, MAX_PROMPT);
    }
}
