//! The editor's state and its form fields. Every field reads and writes one place in the draft
//! through a [`Lens`], and shows the messages of the core's validation for its own path, so that
//! the school sees each problem where it is, as the server would report it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use driehoek_core::{validate, Content, FieldError, Text};
use leptos::prelude::*;

use super::draft::{
    date_time_value, date_value, parse_date, parse_date_time, parse_month, parse_time, time_value,
};

/// The draft being edited, what it started from, and its problems.
#[derive(Clone, Copy)]
pub struct Editor {
    pub draft: RwSignal<Content>,
    /// The published version the draft started from (`None`: nothing published yet).
    pub published: RwSignal<Option<Content>>,
    /// Its ETag, sent as `If-Match`.
    pub etag: RwSignal<Option<String>>,
    /// Input the model cannot hold (a date half typed): path → message.
    pub local: RwSignal<BTreeMap<String, String>>,
    /// The server's refusal of the last publication, until the draft changes.
    pub server: RwSignal<Vec<FieldError>>,
    /// Every problem: the core's rules, the input, the server.
    pub errors: Memo<Vec<FieldError>>,
    /// The fields whose problems are shown: those the school typed in or left, and everything
    /// "Controleren" found. A new, blank entry is not red before anyone touched it.
    pub touched: RwSignal<BTreeSet<String>>,
    /// What the last "Controleren" found (the number of problems), until the draft changes.
    pub checked: RwSignal<Option<usize>>,
}

/// Whether an error at `field` belongs to the control of `path`: the path itself or below it.
fn under(field: &str, path: &str) -> bool {
    field == path
        || field
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

impl Editor {
    pub fn new(draft: Content, published: Option<Content>, etag: Option<String>) -> Self {
        let draft = RwSignal::new(draft);
        let local = RwSignal::new(BTreeMap::<String, String>::new());
        let server = RwSignal::new(Vec::<FieldError>::new());
        let errors = Memo::new(move |_| {
            let mut errors = draft.with(validate);
            local.with(|local| {
                errors.extend(local.iter().map(|(field, message)| FieldError {
                    field: field.clone(),
                    message: message.clone(),
                }))
            });
            server.with(|server| {
                for error in server {
                    if !errors.contains(error) {
                        errors.push(error.clone());
                    }
                }
            });
            errors
        });
        Editor {
            draft,
            published: RwSignal::new(published),
            etag: RwSignal::new(etag),
            local,
            server,
            errors,
            touched: RwSignal::new(BTreeSet::new()),
            checked: RwSignal::new(None),
        }
    }

    /// Marks the fields of one control as touched: their problems show from now on.
    pub fn touch(&self, paths: &[String]) {
        if self
            .touched
            .with_untracked(|t| paths.iter().all(|p| t.contains(p)))
        {
            return;
        }
        self.touched.update(|t| t.extend(paths.iter().cloned()));
    }

    /// Checks the whole draft: every problem now known shows at its field. Returns their number.
    pub fn check_all(&self) -> usize {
        let fields: Vec<String> = self
            .errors
            .with_untracked(|e| e.iter().map(|e| e.field.clone()).collect());
        let count = fields.len();
        self.touch(&fields);
        count
    }

    /// Whether the problem at `field` is shown.
    fn shown(&self, field: &str) -> bool {
        self.touched
            .with(|t| t.iter().any(|path| under(field, path)))
    }

    /// Changes the draft; the server's old refusal no longer applies.
    pub fn edit(&self, f: impl FnOnce(&mut Content)) {
        self.draft.update(f);
        if self.checked.with_untracked(Option::is_some) {
            self.checked.set(None);
        }
        if self.server.with_untracked(|s| !s.is_empty()) {
            self.server.set(Vec::new());
        }
    }

    /// The messages for exactly these paths, once shown.
    pub fn messages(&self, paths: &[String]) -> Vec<String> {
        self.errors.with(|errors| {
            errors
                .iter()
                .filter(|e| paths.contains(&e.field) && self.shown(&e.field))
                .map(|e| e.message.clone())
                .collect()
        })
    }

    /// The messages for `path` and everything under it (`path[0]`, `path.nl`), once shown.
    pub fn messages_under(&self, path: &str) -> Vec<String> {
        self.errors.with(|errors| {
            errors
                .iter()
                .filter(|e| under(&e.field, path) && self.shown(&e.field))
                .map(|e| e.message.clone())
                .collect()
        })
    }

    fn set_local(&self, path: &str, message: Option<&str>) {
        let known = self.local.with_untracked(|l| l.get(path).cloned());
        if known.as_deref() != message {
            self.local.update(|l| match message {
                Some(m) => {
                    l.insert(path.to_owned(), m.to_owned());
                }
                None => {
                    l.remove(path);
                }
            });
        }
    }
}

/// The editor from context.
pub fn use_editor() -> Editor {
    expect_context()
}

/// How a [`Lens`] reads its place.
pub type Read<T> = Arc<dyn Fn(&Content) -> T + Send + Sync>;
/// How a [`Lens`] writes its place.
pub type Write<T> = Arc<dyn Fn(&mut Content, T) + Send + Sync>;

/// One place in the content: how to read it and how to write it.
pub struct Lens<T> {
    pub get: Read<T>,
    pub set: Write<T>,
}

impl<T> Clone for Lens<T> {
    fn clone(&self) -> Self {
        Lens {
            get: self.get.clone(),
            set: self.set.clone(),
        }
    }
}

impl<T: Default + 'static> Lens<T> {
    /// A field of the entity `find` locates (an activity by index, an item of a month).
    pub fn at<E: 'static>(
        find: impl Fn(&Content) -> Option<&E> + Send + Sync + 'static,
        find_mut: impl Fn(&mut Content) -> Option<&mut E> + Send + Sync + 'static,
        get: fn(&E) -> T,
        set: fn(&mut E, T),
    ) -> Self {
        Lens {
            get: Arc::new(move |c| find(c).map(get).unwrap_or_default()),
            set: Arc::new(move |c, value| {
                if let Some(e) = find_mut(c) {
                    set(e, value)
                }
            }),
        }
    }
}

/// The id of a form control for `path` (`activities[3].title.nl` → `f-activities-3-title-nl`).
pub fn control_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// A label, the control, an optional hint and the field's messages, tied together for screen
/// readers.
fn shell(
    id: String,
    label: String,
    hint: Option<&'static str>,
    errors: Memo<Vec<String>>,
    control: impl IntoView + 'static,
) -> impl IntoView {
    let error_id = format!("{id}-fout");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field__hint" id=format!("{id}-uitleg")>{h}</p> })}
            {control}
            <p class="field__error" id=error_id>
                {move || errors.get().join(" ")}
            </p>
        </div>
    }
}

fn described_by(id: &str, hint: Option<&'static str>) -> String {
    match hint {
        Some(_) => format!("{id}-uitleg {id}-fout"),
        None => format!("{id}-fout"),
    }
}

/// A line of plain text (`kind`: text, email, url, tel), or several lines.
#[component]
pub fn TextInput(
    label: &'static str,
    path: String,
    lens: Lens<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    text_control(label.into(), vec![path], lens, kind, multiline, hint)
}

/// A text control that shows the messages of `paths`; its id comes from the last one.
fn text_control(
    label: String,
    paths: Vec<String>,
    lens: Lens<String>,
    kind: &'static str,
    multiline: bool,
    hint: Option<&'static str>,
) -> impl IntoView {
    let editor = use_editor();
    let id = control_id(paths.last().map(String::as_str).unwrap_or_default());
    let mine = StoredValue::new(paths.clone());
    let errors = Memo::new(move |_| editor.messages(&paths));
    let get = lens.get.clone();
    // The field's own value: a keystroke elsewhere re-reads it, but redraws nothing here.
    let value = Memo::new(move |_| editor.draft.with(|c| get(c)));
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        editor.edit(|c| (lens.set)(c, text));
        mine.with_value(|p| editor.touch(p));
    };
    let on_blur = move |_| mine.with_value(|p| editor.touch(p));
    let invalid = move || (!errors.get().is_empty()).to_string();
    let control = if multiline {
        view! {
            <textarea id=id.clone() rows="3" prop:value=value on:input=on_input on:blur=on_blur
                aria-invalid=invalid aria-describedby=described_by(&id, hint)></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind prop:value=value on:input=on_input on:blur=on_blur
                aria-invalid=invalid aria-describedby=described_by(&id, hint)/>
        }
        .into_any()
    };
    shell(id, label, hint, errors, control)
}

/// A text the parents read in their language: Dutch, and English when the school writes it.
#[component]
pub fn TextField(
    /// Numbered where a list has many ("Afspraak 12"), so that every field has its own name.
    #[prop(into)]
    label: String,
    path: String,
    lens: Lens<Text>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let nl = language(&lens, "nl");
    let en = language(&lens, "en");
    let en_path = format!("{path}.en");
    let has_english = {
        let get = lens.get.clone();
        use_editor()
            .draft
            .with_untracked(|c| get(c).0.contains_key("en"))
    };
    let english = format!("{label} in het Engels");
    view! {
        {text_control(label, vec![path.clone(), format!("{path}.nl")], nl, "text", multiline, None)}
        <details class="translation" open=has_english>
            <summary>"Vertaling in het Engels (mag leeg)"</summary>
            {text_control(english, vec![en_path], en, "text", multiline, None)}
        </details>
    }
}

/// One language of a text: an empty English text is left out (parents then read the Dutch);
/// an empty Dutch one stays, so that the field says what is missing.
fn language(lens: &Lens<Text>, lang: &'static str) -> Lens<String> {
    let (get, set, read) = (lens.get.clone(), lens.set.clone(), lens.get.clone());
    Lens {
        get: Arc::new(move |c| get(c).0.get(lang).cloned().unwrap_or_default()),
        set: Arc::new(move |c, value: String| {
            let mut text = read(c);
            if value.is_empty() && lang != "nl" {
                text.0.remove(lang);
            } else {
                text.0.insert(lang.to_owned(), value);
            }
            set(c, text)
        }),
    }
}

/// What a date-like field is: its input type, and how it reads and writes its value.
#[derive(Clone, Copy)]
pub enum Moment {
    Date,
    Time,
    DateTime,
    Month,
}

/// A value of one of the [`Moment`] kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum MomentValue {
    #[default]
    Empty,
    Date(NaiveDate),
    Time(NaiveTime),
    DateTime(NaiveDateTime),
    Month(driehoek_core::YearMonth),
}

impl Moment {
    fn input_type(self) -> &'static str {
        match self {
            Moment::Date => "date",
            Moment::Time => "time",
            Moment::DateTime => "datetime-local",
            Moment::Month => "month",
        }
    }

    fn parse(self, text: &str) -> Option<MomentValue> {
        match self {
            Moment::Date => parse_date(text).map(MomentValue::Date),
            Moment::Time => parse_time(text).map(MomentValue::Time),
            Moment::DateTime => parse_date_time(text).map(MomentValue::DateTime),
            Moment::Month => parse_month(text).map(MomentValue::Month),
        }
    }

    fn unreadable(self) -> &'static str {
        match self {
            Moment::Date => "Vul een datum in, zoals 2026-12-03.",
            Moment::Time => "Vul een tijd in, zoals 19:30.",
            Moment::DateTime => "Vul een datum en een tijd in.",
            Moment::Month => "Vul een maand in, zoals 2026-12.",
        }
    }
}

impl MomentValue {
    fn text(self) -> String {
        match self {
            MomentValue::Empty => String::new(),
            MomentValue::Date(d) => date_value(d),
            MomentValue::Time(t) => time_value(t),
            MomentValue::DateTime(at) => date_time_value(at),
            MomentValue::Month(m) => m.to_string(),
        }
    }
}

/// A control whose text `read` turns into the model's value: `Ok` writes it, `Err` keeps the
/// model as it was and shows the message at the field until the text can be read.
#[allow(clippy::too_many_arguments)]
fn parsed_control<T: Clone + PartialEq + Send + Sync + 'static>(
    label: &'static str,
    path: String,
    hint: Option<&'static str>,
    input_type: &'static str,
    range: Option<(u32, u32)>,
    lens: Lens<T>,
    show: fn(T) -> String,
    read: impl Fn(&str) -> Result<T, String> + 'static,
) -> impl IntoView {
    let editor = use_editor();
    let id = control_id(&path);
    let paths = vec![path.clone()];
    let mine = StoredValue::new(paths.clone());
    let errors = Memo::new(move |_| editor.messages(&paths));
    let get = lens.get.clone();
    let value = Memo::new(move |_| editor.draft.with(|c| get(c)));
    let value = move || show(value.get());
    let on_input = move |ev: leptos::ev::Event| {
        match read(&event_target_value(&ev)) {
            Ok(value) => {
                editor.set_local(&path, None);
                editor.edit(|c| (lens.set)(c, value));
            }
            Err(message) => editor.set_local(&path, Some(&message)),
        }
        mine.with_value(|p| editor.touch(p));
    };
    let on_blur = move |_| mine.with_value(|p| editor.touch(p));
    let invalid = move || (!errors.get().is_empty()).to_string();
    let control = view! {
        <input id=id.clone() type=input_type prop:value=value on:input=on_input on:blur=on_blur
            min=range.map(|r| r.0) max=range.map(|r| r.1)
            inputmode=range.map(|_| "numeric")
            aria-invalid=invalid aria-describedby=described_by(&id, hint)/>
    };
    shell(id, label.into(), hint, errors, control)
}

/// A date, time, date and time, or month; `required` ones cannot be left empty.
#[component]
pub fn MomentInput(
    label: &'static str,
    path: String,
    moment: Moment,
    lens: Lens<MomentValue>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let read = move |text: &str| match moment.parse(text) {
        Some(value) => Ok(value),
        None if text.trim().is_empty() && !required => Ok(MomentValue::Empty),
        None => Err(moment.unreadable().to_owned()),
    };
    let input_type = moment.input_type();
    parsed_control(
        label,
        path,
        hint,
        input_type,
        None,
        lens,
        MomentValue::text,
        read,
    )
}

/// A whole number from `min` to `max`; empty means "no number" where that is allowed.
#[component]
pub fn NumberInput(
    label: &'static str,
    path: String,
    lens: Lens<Option<u32>>,
    min: u32,
    max: u32,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let read = move |text: &str| match text.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ if text.trim().is_empty() && !required => Ok(None),
        _ => Err(format!("Vul een getal van {min} tot en met {max} in.")),
    };
    let show = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    parsed_control(
        label,
        path,
        hint,
        "number",
        Some((min, max)),
        lens,
        show,
        read,
    )
}

/// One choice of a list (a kind of item or activity, an age band).
#[component]
pub fn SelectInput(
    label: &'static str,
    path: String,
    options: Vec<(String, &'static str)>,
    lens: Lens<String>,
) -> impl IntoView {
    let editor = use_editor();
    let id = control_id(&path);
    let paths = vec![path];
    let mine = StoredValue::new(paths.clone());
    let errors = Memo::new(move |_| editor.messages(&paths));
    let get = lens.get.clone();
    let current = Memo::new(move |_| editor.draft.with(|c| get(c)));
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        editor.edit(|c| (lens.set)(c, value));
        mine.with_value(|p| editor.touch(p));
    };
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let selected = {
                let value = value.clone();
                move || current.with(|c| *c == value)
            };
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    let control = view! {
        <select id=id.clone() on:change=on_change aria-describedby=format!("{id}-fout")>
            {options}
        </select>
    };
    shell(id, label.into(), None, errors, control)
}

/// A yes-or-no question.
#[component]
pub fn CheckInput(label: &'static str, path: String, lens: Lens<bool>) -> impl IntoView {
    let editor = use_editor();
    let get = lens.get.clone();
    let checked = Memo::new(move |_| editor.draft.with(|c| get(c)));
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_checked(&ev);
        editor.edit(|c| (lens.set)(c, value));
    };
    view! {
        <label class="check">
            <input type="checkbox" id=control_id(&path) prop:checked=checked on:change=on_change/>
            <span>{label}</span>
        </label>
    }
}

/// The groepen 1 to 8; none ticked means the whole school.
#[component]
pub fn GroepenInput(path: String, lens: Lens<Vec<u8>>) -> impl IntoView {
    let editor = use_editor();
    let error_id = format!("{}-fout", control_id(&path));
    let described = error_id.clone();
    let mine = StoredValue::new(vec![path.clone()]);
    let errors = {
        let path = path.clone();
        Memo::new(move |_| editor.messages_under(&path).join(" "))
    };
    let get = lens.get.clone();
    let ticked = Memo::new(move |_| editor.draft.with(|c| get(c)));
    let boxes = (1..=8u8)
        .map(|groep| {
            let (set, read) = (lens.set.clone(), lens.get.clone());
            let checked = move || ticked.with(|t| t.contains(&groep));
            let on_change = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                editor.edit(|c| {
                    let mut groepen = read(c);
                    groepen.retain(|g| *g != groep);
                    if on {
                        groepen.push(groep);
                        groepen.sort_unstable();
                    }
                    set(c, groepen)
                });
                mine.with_value(|p| editor.touch(p));
            };
            view! {
                <label class="check groepen__box">
                    <input type="checkbox" prop:checked=checked on:change=on_change/>
                    <span>{format!("Groep {groep}")}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="choice groepen" aria-describedby=described>
            <legend>"Voor welke groepen?"</legend>
            <p class="field__hint">"Niets aangevinkt: voor de hele school."</p>
            <div class="groepen__grid">{boxes}</div>
            <p class="field__error" id=error_id>{move || errors.get()}</p>
        </fieldset>
    }
}
